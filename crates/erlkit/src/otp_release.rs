//! Chooses the OTP release whose syntax applies: `--otp-release`, else the
//! release of the OTP installation that `erl` on PATH belongs to (found from
//! files alone, without starting a VM), else the newest release erlkit knows.

use project_model::otp::{OtpInstallation, find_installation};
use syntax::OtpRelease;

/// The release chosen and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ChosenRelease {
    pub(crate) release: OtpRelease,
    pub(crate) source: ReleaseSource,
}

/// Where the chosen release came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ReleaseSource {
    /// `--otp-release N`.
    CommandLine,
    /// The installation `erl` on PATH belongs to.
    Installation(OtpInstallation),
    /// Nothing found: the newest release erlkit knows.
    Newest,
}

impl std::fmt::Display for ReleaseSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReleaseSource::CommandLine => write!(f, "--otp-release"),
            ReleaseSource::Installation(installation) => write!(
                f,
                "OTP {} at {}",
                installation.version,
                installation.root.display()
            ),
            ReleaseSource::Newest => write!(f, "newest known (no OTP installation found)"),
        }
    }
}

/// The release for `--otp-release` (when given) or the current environment.
pub(crate) fn choose(command_line: Option<u32>) -> ChosenRelease {
    if let Some(major) = command_line {
        return ChosenRelease {
            release: OtpRelease(major),
            source: ReleaseSource::CommandLine,
        };
    }
    let path_var = std::env::var_os("PATH");
    let erl_rootdir = std::env::var_os("ERL_ROOTDIR");
    match find_installation(path_var.as_deref(), erl_rootdir.as_deref()) {
        Some(installation) => ChosenRelease {
            release: installation.release(),
            source: ReleaseSource::Installation(installation),
        },
        None => ChosenRelease {
            release: OtpRelease::LATEST,
            source: ReleaseSource::Newest,
        },
    }
}
