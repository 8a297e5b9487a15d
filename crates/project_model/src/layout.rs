//! Finds a project's applications on disk: a rebar3 project (single app or
//! umbrella) with its dependencies, an erlang.mk project, or a plain tree of
//! `src/` directories. Every module belongs to an application; the applications
//! are the namespaces. Only files are read: no build tool or script runs.
//! `discover_with` applies the corrections of `erlkit.toml`'s `[project]`
//! and `[apps.NAME]` tables: directories to skip, include paths and macros.

use std::path::{Path, PathBuf};

use crate::config::ProjectConfig;
use crate::rebar::{ErlOpts, MacroDefinition, RebarConfig, read_rebar_config};
use crate::term::Term;

mod exclude;

pub use exclude::{ExcludePattern, Exclusions};

/// How the project is built, as its files say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildSystem {
    Rebar3,
    ErlangMk,
    /// No build files: every directory with a `src/` of Erlang files is an application.
    Plain,
}

/// Where an application comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppOrigin {
    /// One of the project's own.
    Project,
    /// A dependency fetched by the build tool (`_build/default/lib`, `deps/`).
    Dependency,
    /// A dependency checked out by hand (`_checkouts/`), which wins over a fetched one.
    Checkout,
    /// An application of the OTP installation (`lib/stdlib-4.2`).
    Otp,
}

/// One application: its name, directory and how its code is compiled.
#[derive(Debug, Clone, PartialEq)]
pub struct AppLayout {
    pub name: String,
    pub dir: PathBuf,
    pub origin: AppOrigin,
    /// Directories of the application's modules.
    pub src_dirs: Vec<PathBuf>,
    /// Directories of modules compiled with it but not part of it (`test/`).
    pub extra_src_dirs: Vec<PathBuf>,
    /// Where `-include` looks after the including file's directory: `{i, Dir}`
    /// options, then the application's `include/` and `src/`, as rebar3 adds.
    pub include_dirs: Vec<PathBuf>,
    pub macros: Vec<MacroDefinition>,
    /// Named, never run.
    pub parse_transforms: Vec<String>,
    /// The `warn_*` and `nowarn_*` options of `erl_opts`, in order.
    pub warning_switches: Vec<String>,
    /// The applications it needs: `applications` and
    /// `included_applications` of its `.app.src` (or, for OTP, `ebin/*.app`);
    /// `None` when it has no readable one.
    pub applications: Option<Vec<String>>,
    /// `may_call` of its `[apps.NAME]` table in `erlkit.toml`.
    pub may_call: Option<Vec<String>>,
    /// `api` of its `[apps.NAME]` table in `erlkit.toml`.
    pub api: Option<Vec<String>>,
}

/// The applications found under a root.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectLayout {
    pub root: PathBuf,
    pub build_system: BuildSystem,
    /// The project's applications, then its dependencies, each sorted by name.
    pub apps: Vec<AppLayout>,
    /// What could not be read or was ignored (`rebar.config.script`), as messages.
    pub warnings: Vec<String>,
    /// What `exclude` in `erlkit.toml` skips: no application was looked for
    /// there, and files there are not the project's.
    pub excluded: Exclusions,
}

/// Directories never searched for applications.
const SKIPPED_DIRS: &[&str] = &["_build", ".git", "deps", "_checkouts", "node_modules"];
/// How deep a plain tree is searched for `src/` directories.
const PLAIN_DEPTH: usize = 6;

/// The applications of the OTP installation at `otp_root` (`lib/*`, named
/// without their version), sorted by name. Their sources are there when OTP's
/// sources are installed (Debian's `erlang-src`); an application without them
/// still counts, with no modules.
pub fn otp_apps(otp_root: &Path) -> Vec<AppLayout> {
    let mut apps: Vec<AppLayout> =
        dirs_in(&otp_root.join("lib"))
            .into_iter()
            .filter_map(|dir| {
                let mut app = app_at(&dir, AppOrigin::Otp, None, &Exclusions::none())
                    .unwrap_or_else(|| AppLayout {
                        name: name_from_dir(&dir),
                        dir: dir.clone(),
                        origin: AppOrigin::Otp,
                        // Sources only in subdirectories of `src/` (diameter,
                        // inets, megaco, wx): the loader walks them.
                        src_dirs: Some(dir.join("src"))
                            .filter(|src| src.is_dir())
                            .into_iter()
                            .collect(),
                        extra_src_dirs: Vec::new(),
                        include_dirs: vec![dir.join("include")],
                        macros: Vec::new(),
                        parse_transforms: Vec::new(),
                        warning_switches: Vec::new(),
                        applications: None,
                        may_call: None,
                        api: None,
                    });
                // A version directory's name is the application's, whatever `.app.src` is there.
                app.name = name_from_dir(&dir);
                let app_file = dir.join("ebin").join(format!("{}.app", app.name));
                if let Some(applications) = app_resource_applications(&app_file) {
                    app.applications = Some(applications);
                }
                // OTP's makefiles put `src/` and its subdirectories on the
                // include path of the modules below them (snmp's `misc/`
                // headers, inets' `http_lib/`, ...).
                let src = dir.join("src");
                let mut src_dirs = vec![src.clone()];
                src_dirs.extend(dirs_in(&src));
                for src_dir in src_dirs {
                    if src_dir.is_dir() && !app.include_dirs.contains(&src_dir) {
                        app.include_dirs.push(src_dir);
                    }
                }
                (!app.name.is_empty()).then_some(app)
            })
            .collect();
    apps.sort_by(|a, b| a.name.cmp(&b.name));
    apps
}

/// The applications of the project at `root`, as its files say.
pub fn discover(root: &Path) -> ProjectLayout {
    discover_with(root, &ProjectConfig::default())
}

/// The applications of the project at `root`, corrected by `config` (the
/// `[project]` and `[apps.NAME]` tables of `erlkit.toml`): directories that
/// `exclude` matches are never searched and their applications are left out;
/// every project application gets `include_dirs` (after its own) and `macros`
/// (replacing a discovered macro of the same name); an `[apps.NAME]` table adds
/// its own before those, to that application whatever its origin. A table
/// naming no application found is a warning.
pub fn discover_with(root: &Path, config: &ProjectConfig) -> ProjectLayout {
    let excluded = Exclusions::new(root, config.base_dir(), &config.exclude);
    let mut layout = discover_files(root, &excluded);
    layout.excluded = excluded;
    apply_config(&mut layout, config);
    layout
}

/// `[apps.NAME]` then `[project]`'s include directories and macros.
fn apply_config(layout: &mut ProjectLayout, config: &ProjectConfig) {
    for app in &mut layout.apps {
        let own = config.apps.iter().filter(|own| own.name == app.name);
        let mut include_dirs: Vec<&PathBuf> =
            own.clone().flat_map(|own| &own.include_dirs).collect();
        let mut macros: Vec<&MacroDefinition> = Vec::new();
        if app.origin == AppOrigin::Project {
            include_dirs.extend(&config.include_dirs);
            macros.extend(&config.macros);
        }
        // The application's own table wins over the project's.
        macros.extend(own.clone().flat_map(|own| &own.macros));
        for own in own {
            if own.may_call.is_some() {
                app.may_call = own.may_call.clone();
            }
            if own.api.is_some() {
                app.api = own.api.clone();
            }
        }
        for dir in include_dirs {
            if !app.include_dirs.contains(dir) {
                app.include_dirs.push(dir.clone());
            }
        }
        for definition in macros {
            app.macros.retain(|old| old.name != definition.name);
            app.macros.push(definition.clone());
        }
    }
    for own in &config.apps {
        if !layout.apps.iter().any(|app| app.name == own.name) {
            layout.warnings.push(format!(
                "{}:{}: `[apps.{}]` names no application of the project (ignored)",
                config.file.display(),
                own.line,
                own.name
            ));
        }
    }
}

/// The applications found from the files under `root`, outside `excluded`.
fn discover_files(root: &Path, excluded: &Exclusions) -> ProjectLayout {
    let mut warnings = Vec::new();
    let rebar = match read_rebar_config(root) {
        Ok(file) => file,
        Err(error) => {
            warnings.push(format!("{error}; its defaults are used"));
            Some(crate::rebar::RebarConfigFile {
                config: RebarConfig::from_terms(&[]),
                script_ignored: false,
            })
        }
    };
    let (build_system, mut apps) = if let Some(file) = rebar {
        if file.script_ignored {
            warnings.push(
                "rebar.config.script is not evaluated (it would run the project's code); \
                 rebar.config is read as it is"
                    .to_owned(),
            );
        }
        warnings.extend(
            file.config
                .warnings
                .iter()
                .map(|w| format!("rebar.config: {w}")),
        );
        let mut apps = rebar_apps(root, &file.config, excluded, &mut warnings);
        apps.extend(dependencies(root, excluded, &mut warnings));
        (BuildSystem::Rebar3, apps)
    } else if is_erlang_mk(root) {
        let mut apps: Vec<AppLayout> = app_at(root, AppOrigin::Project, None, excluded)
            .map(|mut app| {
                // `PROJECT = name` in the Makefile names the application.
                if let Some(name) = erlang_mk_project(root) {
                    app.name = name;
                }
                app
            })
            .into_iter()
            .collect();
        apps.extend(
            dirs_in(&root.join("deps"))
                .into_iter()
                .filter_map(|dir| app_at(&dir, AppOrigin::Dependency, None, excluded)),
        );
        (BuildSystem::ErlangMk, apps)
    } else {
        let mut dirs = Vec::new();
        find_plain_apps(root, PLAIN_DEPTH, excluded, &mut dirs);
        let apps = dirs
            .into_iter()
            .filter_map(|dir| app_at(&dir, AppOrigin::Project, None, excluded))
            .collect();
        (BuildSystem::Plain, apps)
    };
    apps.sort_by(|a, b| {
        (a.origin != AppOrigin::Project, &a.name).cmp(&(b.origin != AppOrigin::Project, &b.name))
    });
    ProjectLayout {
        root: root.to_path_buf(),
        build_system,
        apps,
        warnings,
        excluded: Exclusions::none(),
    }
}

/// The project's own applications of a rebar3 project: each directory that
/// `project_app_dirs` names and that holds an application.
fn rebar_apps(
    root: &Path,
    config: &RebarConfig,
    excluded: &Exclusions,
    warnings: &mut Vec<String>,
) -> Vec<AppLayout> {
    let mut apps = Vec::new();
    for pattern in &config.project_app_dirs {
        let candidates = match pattern.strip_suffix("/*") {
            Some(parent) => dirs_in(&root.join(parent)),
            None => vec![root.join(pattern)],
        };
        for dir in candidates {
            if excluded.is_excluded(&dir)
                || apps.iter().any(|app: &AppLayout| same_dir(&app.dir, &dir))
            {
                continue;
            }
            // An umbrella application may have a rebar.config of its own.
            let own = if same_dir(&dir, root) {
                None
            } else {
                match read_rebar_config(&dir) {
                    Ok(file) => file.map(|file| file.config),
                    Err(error) => {
                        warnings.push(error.to_string());
                        None
                    }
                }
            };
            if let Some(app) = app_at(
                &dir,
                AppOrigin::Project,
                Some(own.as_ref().unwrap_or(config)),
                excluded,
            ) {
                apps.push(app);
            }
        }
    }
    apps
}

/// The dependencies of a rebar3 project: `_build/default/lib/*`, overridden by
/// `_checkouts/*` of the same name.
fn dependencies(root: &Path, excluded: &Exclusions, warnings: &mut Vec<String>) -> Vec<AppLayout> {
    let checkouts: Vec<AppLayout> = dirs_in(&root.join("_checkouts"))
        .into_iter()
        .filter(|dir| !excluded.is_excluded(dir))
        .filter_map(|dir| app_with_own_config(&dir, AppOrigin::Checkout, excluded, warnings))
        .collect();
    let fetched = dirs_in(&root.join("_build/default/lib"))
        .into_iter()
        .filter(|dir| !excluded.is_excluded(dir))
        .filter_map(|dir| app_with_own_config(&dir, AppOrigin::Dependency, excluded, warnings))
        .filter(|dep| !checkouts.iter().any(|checkout| checkout.name == dep.name));
    checkouts.iter().cloned().chain(fetched).collect()
}

fn app_with_own_config(
    dir: &Path,
    origin: AppOrigin,
    excluded: &Exclusions,
    warnings: &mut Vec<String>,
) -> Option<AppLayout> {
    let own = match read_rebar_config(dir) {
        Ok(file) => file.map(|file| file.config),
        Err(error) => {
            warnings.push(error.to_string());
            None
        }
    };
    app_at(dir, origin, own.as_ref(), excluded)
}

/// The application in `dir`, if it has one (a `src/` with modules or an
/// `.app.src`), compiled as `config` says (rebar3's defaults without one).
/// Excluded directories are none of its source or include directories, and
/// an excluded `dir` has no application.
fn app_at(
    dir: &Path,
    origin: AppOrigin,
    config: Option<&RebarConfig>,
    excluded: &Exclusions,
) -> Option<AppLayout> {
    if excluded.is_excluded(dir) {
        return None;
    }
    let defaults;
    let config = match config {
        Some(config) => config,
        None => {
            defaults = RebarConfig::from_terms(&[]);
            &defaults
        }
    };
    let kept = |path: &PathBuf| !excluded.is_excluded(path);
    let src_dirs: Vec<PathBuf> = config
        .src_dirs
        .iter()
        .map(|src| dir.join(src))
        .filter(kept)
        .collect();
    let app_src = src_dirs.iter().find_map(|src| app_src_name(src));
    let has_modules = src_dirs.iter().any(|src| has_erlang_files(src));
    if app_src.is_none() && !has_modules {
        return None;
    }
    let name = app_src.unwrap_or_else(|| name_from_dir(dir));
    let ErlOpts {
        include_dirs,
        macros,
        parse_transforms,
        warning_switches,
        ..
    } = &config.erl_opts;
    let mut includes: Vec<PathBuf> = include_dirs.iter().map(|inc| dir.join(inc)).collect();
    includes.push(dir.join("include"));
    includes.extend(src_dirs.iter().cloned());
    includes.retain(kept);
    let applications = src_dirs
        .iter()
        .map(|src| src.join(format!("{name}.app.src")))
        .find_map(|path| app_resource_applications(&path));
    Some(AppLayout {
        dir: dir.to_path_buf(),
        origin,
        src_dirs,
        extra_src_dirs: extra_src_dirs(dir, config, origin)
            .into_iter()
            .filter(kept)
            .collect(),
        include_dirs: includes,
        macros: macros.clone(),
        parse_transforms: parse_transforms.clone(),
        warning_switches: warning_switches.clone(),
        applications,
        may_call: None,
        api: None,
        name,
    })
}

/// The `applications` and `included_applications` of an application
/// resource file (`.app` or `.app.src`): `None` when it cannot be read as
/// `{application, Name, [...]}`.
fn app_resource_applications(path: &Path) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(path).ok()?;
    let terms = crate::term::read_terms(&text).ok()?;
    let [Term::Tuple(parts)] = terms.as_slice() else {
        return None;
    };
    let [Term::Atom(tag), _, Term::List(properties)] = parts.as_slice() else {
        return None;
    };
    if tag != "application" {
        return None;
    }
    let mut applications = Vec::new();
    for property in properties {
        if let Term::Tuple(pair) = property
            && let [Term::Atom(key), Term::List(names)] = pair.as_slice()
            && (key == "applications" || key == "included_applications")
        {
            applications.extend(
                names
                    .iter()
                    .filter_map(|name| name.as_atom().map(str::to_owned)),
            );
        }
    }
    Some(applications)
}

/// An application's extra source directories: `extra_src_dirs`, and for a
/// project application what rebar3's `test` profile adds (its
/// `extra_src_dirs`, and `test/`, which rebar3 always compiles under that
/// profile), when they exist.
fn extra_src_dirs(dir: &Path, config: &RebarConfig, origin: AppOrigin) -> Vec<PathBuf> {
    let mut extra: Vec<PathBuf> = config
        .extra_src_dirs
        .iter()
        .map(|extra| dir.join(extra))
        .collect();
    if origin == AppOrigin::Project {
        let test_profile = config
            .profiles
            .iter()
            .filter(|profile| profile.name == "test")
            .flat_map(|profile| &profile.extra_src_dirs);
        for test_dir in test_profile.map(String::as_str).chain(["test"]) {
            let path = dir.join(test_dir);
            if path.is_dir() && !extra.contains(&path) {
                extra.push(path);
            }
        }
    }
    extra
}

/// The application name of an `.app.src` in `src`, from its file name.
fn app_src_name(src: &Path) -> Option<String> {
    let entries = std::fs::read_dir(src).ok()?;
    let mut names: Vec<String> = entries
        .flatten()
        .filter_map(|entry| {
            let file_name = entry.file_name().to_string_lossy().into_owned();
            file_name.strip_suffix(".app.src").map(str::to_owned)
        })
        .collect();
    names.sort();
    names.into_iter().next()
}

fn has_erlang_files(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|entry| entry.path().extension().is_some_and(|ext| ext == "erl"))
    })
}

/// `cowboy-2.9.0` is the application `cowboy`, as in OTP's `lib/` and Hex.
fn name_from_dir(dir: &Path) -> String {
    let name = dir
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    match name.split_once('-') {
        Some((app, version)) if version.starts_with(|c: char| c.is_ascii_digit()) => app.to_owned(),
        _ => name,
    }
}

/// The value of `PROJECT = name` in an erlang.mk project's Makefile.
fn erlang_mk_project(root: &Path) -> Option<String> {
    let makefile = std::fs::read_to_string(root.join("Makefile")).ok()?;
    makefile.lines().find_map(|line| {
        let (key, value) = line.split_once('=')?;
        let value = value.trim();
        (key.trim() == "PROJECT" && !value.is_empty()).then(|| value.to_owned())
    })
}

fn is_erlang_mk(root: &Path) -> bool {
    root.join("erlang.mk").is_file()
        || std::fs::read_to_string(root.join("Makefile"))
            .is_ok_and(|makefile| makefile.contains("erlang.mk"))
}

/// Directories below `dir` (sorted) whose `src/` holds Erlang files, not
/// descending into applications found or into build output.
fn find_plain_apps(dir: &Path, depth: usize, excluded: &Exclusions, found: &mut Vec<PathBuf>) {
    if excluded.is_excluded(dir) {
        return;
    }
    let src = dir.join("src");
    if has_erlang_files(&src) && !excluded.is_excluded(&src) {
        found.push(dir.to_path_buf());
        return;
    }
    if depth == 0 {
        return;
    }
    for child in dirs_in(dir) {
        let skipped = child
            .file_name()
            .is_some_and(|name| SKIPPED_DIRS.iter().any(|skip| name == *skip));
        if !skipped {
            find_plain_apps(&child, depth - 1, excluded, found);
        }
    }
}

/// The subdirectories of `dir`, sorted; none if it cannot be read. Symbolic
/// links to directories count, but are not followed twice to the same place.
fn dirs_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

#[cfg(test)]
mod tests;
