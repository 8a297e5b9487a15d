//! Describes the machine a benchmark ran on: cores and load, for reading figures in context.

/// `N cores, load average 1.23 (1 min)`; the load part only on Linux.
pub(crate) fn describe() -> String {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    match load_average() {
        Some(load) => format!("{cores} cores, load average {load} (1 min)"),
        None => format!("{cores} cores"),
    }
}

/// The one-minute load average from `/proc/loadavg`.
fn load_average() -> Option<String> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    text.split_whitespace().next().map(str::to_owned)
}
