//! Every application resource file of the installed OTP (`lib/*/ebin/*.app`,
//! and `lib/*/src/*.app.src` where the sources are installed) reads as the
//! single `{application, Name, Properties}` term that `file:consult/1` gives.

use std::path::{Path, PathBuf};

use project_model::term::{Term, read_terms};

fn otp_root() -> Option<PathBuf> {
    let path = std::env::var_os("PATH");
    let rootdir = std::env::var_os("ERL_ROOTDIR");
    project_model::otp::find_installation(path.as_deref(), rootdir.as_deref())
        .map(|installation| installation.root)
}

fn files(root: &Path, pattern: &[&str]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(apps) = std::fs::read_dir(root.join("lib")) else {
        return found;
    };
    for app in apps.flatten() {
        let Ok(entries) = std::fs::read_dir(app.path().join(pattern[0])) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.to_string_lossy().ends_with(pattern[1]) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

#[test]
fn otp_application_resource_files_read_as_one_application_term() {
    let Some(root) = otp_root() else {
        eprintln!("SKIPPED: no OTP installation found (no `erl` on PATH)");
        return;
    };
    let mut paths = files(&root, &["ebin", ".app"]);
    paths.extend(files(&root, &["src", ".app.src"]));
    assert!(!paths.is_empty(), "no .app files under {}", root.display());
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        let terms = read_terms(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        let file_name = path.file_name().unwrap().to_string_lossy();
        let stem = file_name.trim_end_matches(".src").trim_end_matches(".app");
        match terms.as_slice() {
            [Term::Tuple(parts)] => match parts.as_slice() {
                [
                    Term::Atom(application),
                    Term::Atom(name),
                    Term::List(properties),
                ] => {
                    assert_eq!(application, "application", "{}", path.display());
                    assert_eq!(name, stem, "{}", path.display());
                    assert!(
                        properties.iter().all(|p| p.as_tuple().is_some()),
                        "{}: a property that is not a tuple",
                        path.display()
                    );
                }
                other => panic!("{}: {other:?}", path.display()),
            },
            other => panic!("{}: {} terms", path.display(), other.len()),
        }
    }
    eprintln!("{} application resource files read", paths.len());
}
