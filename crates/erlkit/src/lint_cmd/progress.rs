//! A progress bar on stderr while `erlkit lint` analyses many files: only on
//! a terminal, only for the human format, cleared when done.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Below this many files, a run is too short for a bar.
const MIN_FILES: usize = 50;

/// Counts the files linted; draws nothing unless it was asked to show.
pub(crate) struct Progress(ProgressBar);

impl Progress {
    /// A bar for `total` files, drawn when `wanted` and stderr is a terminal.
    pub(crate) fn new(total: usize, wanted: bool) -> Progress {
        let shown =
            wanted && total >= MIN_FILES && std::io::IsTerminal::is_terminal(&std::io::stderr());
        if !shown {
            return Progress(ProgressBar::hidden());
        }
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
        if let Ok(style) =
            ProgressStyle::with_template("linting {pos}/{len} files [{bar:40}] {elapsed}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        Progress(bar)
    }

    /// One more file done (from any thread).
    pub(crate) fn inc(&self) {
        self.0.inc(1);
    }

    /// Removes the bar.
    pub(crate) fn finish(&self) {
        self.0.finish_and_clear();
    }
}
