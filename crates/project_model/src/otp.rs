//! Finding an OTP installation and its release from files alone, never by starting a VM.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

use syntax::OtpRelease;

/// An OTP installation found on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtpInstallation {
    /// OTP's root directory (what `code:root_dir()` returns).
    pub root: PathBuf,
    /// The full version, from `releases/*/OTP_VERSION`, e.g. `25.2.3`.
    pub version: String,
    /// Its first component, e.g. 25.
    pub major: u32,
}

impl OtpInstallation {
    /// The release whose syntax applies: the installation's major release, or
    /// the newest release erlkit knows when the installation is newer still.
    pub fn release(&self) -> OtpRelease {
        OtpRelease(self.major.min(OtpRelease::LATEST.0))
    }
}

/// The installation that `erl` on `path_var` belongs to, if any.
///
/// The root is, in order: `erl_rootdir` (the `ERL_ROOTDIR` variable that the
/// `erl` script itself honours), the literal `ROOTDIR=` assignment in the
/// `erl` script, and the directory above the `bin/` that holds `erl` once
/// symbolic links are resolved. The first root with a readable
/// `releases/*/OTP_VERSION` wins.
pub fn find_installation(
    path_var: Option<&OsStr>,
    erl_rootdir: Option<&OsStr>,
) -> Option<OtpInstallation> {
    let erl = find_executable("erl", path_var?)?;
    tracing::debug!(erl = %erl.display(), "found erl on PATH");
    let mut roots: Vec<PathBuf> = Vec::new();
    if let Some(dir) = erl_rootdir.filter(|dir| !dir.is_empty()) {
        roots.push(PathBuf::from(dir));
    }
    roots.extend(rootdir_in_script(&erl));
    roots.extend(root_above_bin(&erl));
    roots.into_iter().find_map(|root| {
        let found = read_installation(&root);
        tracing::debug!(root = %root.display(), found = found.is_some(), "looked for OTP_VERSION");
        found
    })
}

/// The installation whose root directory is `root`, from the newest
/// `releases/*/OTP_VERSION` under it; `None` when there is none to read.
pub fn read_installation(root: &Path) -> Option<OtpInstallation> {
    let releases = std::fs::read_dir(root.join("releases")).ok()?;
    releases
        .filter_map(|entry| {
            let text = std::fs::read_to_string(entry.ok()?.path().join("OTP_VERSION")).ok()?;
            let version = text.trim().to_owned();
            let major = major_of(&version)?;
            Some(OtpInstallation {
                root: root.to_path_buf(),
                version,
                major,
            })
        })
        .max_by_key(|installation| installation.major)
}

/// The first file named `name` in the directories of `path_var`.
fn find_executable(name: &str, path_var: &OsStr) -> Option<PathBuf> {
    let names: Vec<OsString> = if cfg!(windows) {
        vec![
            OsString::from(format!("{name}.exe")),
            OsString::from(format!("{name}.cmd")),
        ]
    } else {
        vec![OsString::from(name)]
    };
    std::env::split_paths(path_var)
        .filter(|dir| !dir.as_os_str().is_empty())
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// The value of a literal `ROOTDIR=/some/path` line of the `erl` shell script.
fn rootdir_in_script(erl: &Path) -> Option<PathBuf> {
    const LARGEST_SCRIPT: u64 = 64 * 1024;
    if std::fs::metadata(erl).ok()?.len() > LARGEST_SCRIPT {
        return None;
    }
    let bytes = std::fs::read(erl).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    text.lines().find_map(|line| {
        let value = line.trim().strip_prefix("ROOTDIR=")?;
        let value = value.trim_matches(|c| c == '"' || c == '\'');
        let literal = !value.is_empty() && !value.contains(['$', '`', ' ', ';']);
        literal.then(|| PathBuf::from(value))
    })
}

/// `<root>` for `<root>/bin/erl` or `<root>/erts-X/bin/erl`, symbolic links resolved.
fn root_above_bin(erl: &Path) -> Option<PathBuf> {
    let real = std::fs::canonicalize(erl).ok()?;
    let above_bin = real.parent()?.parent()?;
    let is_erts = above_bin
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("erts-"));
    if is_erts {
        above_bin.parent().map(Path::to_path_buf)
    } else {
        Some(above_bin.to_path_buf())
    }
}

/// The first component of an OTP version: `25` of `25.2.3`, `27` of `27.0-rc1`.
fn major_of(version: &str) -> Option<u32> {
    let digits: &str = &version[..version
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(version.len())];
    digits.parse().ok().filter(|&major| major > 0)
}

#[cfg(test)]
mod tests {
    use super::{OtpInstallation, find_installation, major_of, read_installation};
    use std::path::Path;
    use syntax::OtpRelease;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn major_is_the_first_component() {
        assert_eq!(major_of("25.2.3"), Some(25));
        assert_eq!(major_of("27"), Some(27));
        assert_eq!(major_of("27.0-rc1"), Some(27));
        assert_eq!(major_of("R16B03"), None);
        assert_eq!(major_of(""), None);
    }

    #[test]
    fn no_erl_on_path_finds_nothing() {
        let empty = tempfile::tempdir().unwrap();
        assert_eq!(
            find_installation(Some(empty.path().as_os_str()), None),
            None
        );
        assert_eq!(find_installation(None, None), None);
    }

    #[test]
    fn root_is_read_from_the_erl_script() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("otp");
        let bin = dir.path().join("elsewhere/bin");
        write(&root.join("releases/26/OTP_VERSION"), "26.2.5\n");
        write(
            &bin.join("erl"),
            &format!(
                "#!/bin/sh\nif [ -z \"$ERL_ROOTDIR\" ]\nthen\n    ROOTDIR=\"{}\"\nfi\n",
                root.display()
            ),
        );
        let found = find_installation(Some(bin.as_os_str()), None);
        assert_eq!(
            found,
            Some(OtpInstallation {
                root,
                version: "26.2.5".into(),
                major: 26
            })
        );
    }

    #[test]
    fn root_is_the_directory_above_bin() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("otp");
        write(&root.join("releases/27/OTP_VERSION"), "27.1\n");
        write(&root.join("releases/RELEASES"), "");
        write(
            &root.join("bin/erl"),
            "#!/bin/sh\nexec \"$BINDIR/erlexec\"\n",
        );
        let found = find_installation(Some(root.join("bin").as_os_str()), None);
        assert_eq!(
            found.map(|i| (i.version, i.major)),
            Some(("27.1".to_owned(), 27))
        );
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_to_erl_are_followed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("lib/erlang");
        write(&root.join("releases/25/OTP_VERSION"), "25.2.3\n");
        write(&root.join("bin/erl"), "#!/bin/sh\n");
        let usr_bin = dir.path().join("bin");
        std::fs::create_dir_all(&usr_bin).unwrap();
        std::os::unix::fs::symlink("../lib/erlang/bin/erl", usr_bin.join("erl")).unwrap();
        let found = find_installation(Some(usr_bin.as_os_str()), None);
        assert_eq!(found.map(|i| i.major), Some(25));
    }

    #[test]
    fn erl_rootdir_comes_first() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("otp");
        let other = dir.path().join("other");
        write(&root.join("releases/24/OTP_VERSION"), "24.3\n");
        write(&root.join("bin/erl"), "#!/bin/sh\n");
        write(&other.join("releases/28/OTP_VERSION"), "28.0\n");
        let found = find_installation(Some(root.join("bin").as_os_str()), Some(other.as_os_str()));
        assert_eq!(found.map(|i| i.major), Some(28));
    }

    #[test]
    fn a_known_root_is_read_directly() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("otp");
        write(&root.join("releases/25/OTP_VERSION"), "25.2.3\n");
        write(&root.join("releases/26/OTP_VERSION"), "26.0-rc2\n");
        write(&root.join("releases/RELEASES"), "");
        let found = read_installation(&root);
        assert_eq!(
            found.map(|i| (i.version, i.major)),
            Some(("26.0-rc2".to_owned(), 26))
        );
        assert_eq!(read_installation(&dir.path().join("nothing")), None);
    }

    #[test]
    fn release_is_capped_at_the_newest_known() {
        let installation = |major| OtpInstallation {
            root: "/otp".into(),
            version: format!("{major}.0"),
            major,
        };
        assert_eq!(installation(25).release(), OtpRelease(25));
        assert_eq!(
            installation(OtpRelease::LATEST.0 + 1).release(),
            OtpRelease::LATEST
        );
    }
}
