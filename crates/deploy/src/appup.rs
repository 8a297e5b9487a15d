//! The plan as `.appup` files, one per application with modules to load,
//! in OTP's syntax: `systools:make_relup/3` builds a relup from them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::atomic_write::write_atomically;
use crate::build::Build;
use crate::error::DeployError;
use crate::plan::{Action, Plan, Step};

/// One application's `.appup`: its versions and its instructions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appup {
    pub app: String,
    pub old_vsn: String,
    pub new_vsn: String,
    /// The text of the file.
    pub text: String,
}

/// The `.appup` of each application the plan loads modules of, in the
/// order of their names. An application needs its version in both builds
/// (the `vsn` of its `.app` file); modules without an application are left
/// out (they belong to no release).
pub fn appups(old: &Build, new: &Build, plan: &Plan) -> Result<Vec<Appup>, DeployError> {
    let mut by_app: BTreeMap<&str, Vec<&Step>> = BTreeMap::new();
    for step in &plan.steps {
        if let Some(app) = &step.app {
            by_app.entry(app.as_str()).or_default().push(step);
        }
    }
    let mut appups = Vec::new();
    for (app, steps) in by_app {
        let old_vsn = app_vsn(old, app)?;
        let new_vsn = app_vsn(new, app)?;
        let in_app: Vec<&str> = steps.iter().map(|step| step.module.as_str()).collect();
        let up: Vec<String> = steps
            .iter()
            .map(|step| instruction(step.action, &step.module, &deps(new, old, step, &in_app)))
            .collect();
        let down: Vec<String> = steps
            .iter()
            .rev()
            .map(|step| {
                let action = match step.action {
                    Action::AddModule => Action::DeleteModule,
                    Action::DeleteModule => Action::AddModule,
                    other => other,
                };
                instruction(action, &step.module, &deps(old, new, step, &in_app))
            })
            .collect();
        let text = format!(
            "%% The upgrade of {app} from {old_vsn} to {new_vsn}, made by erlkit deploy diff.\n\
             {{{new},\n [{{{old}, [{up}]}}],\n [{{{old}, [{down}]}}]}}.\n",
            new = quote(&new_vsn),
            old = quote(&old_vsn),
            up = join(&up),
            down = join(&down),
        );
        appups.push(Appup {
            app: app.to_owned(),
            old_vsn,
            new_vsn,
            text,
        });
    }
    Ok(appups)
}

/// Writes each `.appup` to `dir/APP.appup` (through a temporary file, then
/// a rename); gives the paths.
pub fn write_appups(dir: &Path, appups: &[Appup]) -> Result<Vec<PathBuf>, DeployError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| DeployError::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let mut written = Vec::new();
    for appup in appups {
        let path = dir.join(format!("{}.appup", appup.app));
        write_atomically(&path, appup.text.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}

fn join(instructions: &[String]) -> String {
    instructions.join(",\n    ")
}

/// The modules of the same application that `step`'s module depends on in
/// `build` (else in `other`), for the instruction's `DepMods`.
fn deps(build: &Build, other: &Build, step: &Step, in_app: &[&str]) -> Vec<String> {
    let Some(module) = build
        .modules
        .get(&step.module)
        .or_else(|| other.modules.get(&step.module))
    else {
        return Vec::new();
    };
    let mut deps: Vec<String> = crate::plan::dependencies(module)
        .into_iter()
        .filter(|dep| *dep != step.module && in_app.contains(&dep.as_str()))
        .collect();
    deps.sort();
    deps
}

/// An appup instruction with its dependencies.
fn instruction(action: Action, module: &str, deps: &[String]) -> String {
    let module = atom(module);
    let deps = format!(
        "[{}]",
        deps.iter()
            .map(|dep| atom(dep))
            .collect::<Vec<_>>()
            .join(", ")
    );
    match action {
        Action::AddModule => format!("{{add_module, {module}, {deps}}}"),
        Action::DeleteModule => format!("{{delete_module, {module}}}"),
        Action::LoadModule => format!("{{load_module, {module}, {deps}}}"),
        Action::UpdateCodeChange => format!("{{update, {module}, {{advanced, []}}, {deps}}}"),
        Action::UpdateSupervisor => format!("{{update, {module}, supervisor}}"),
    }
}

/// The `vsn` of `app`'s `.app` file in `build`.
fn app_vsn(build: &Build, app: &str) -> Result<String, DeployError> {
    let path = build
        .modules
        .values()
        .filter(|module| module.app.as_deref() == Some(app))
        .find_map(|module| {
            let app_file = module.path.parent()?.join(format!("{app}.app"));
            app_file.is_file().then_some(app_file)
        });
    let Some(path) = path else {
        return Err(DeployError::NoAppVersion {
            app: app.to_owned(),
            why: "no .app file beside its modules".to_owned(),
        });
    };
    let text = std::fs::read_to_string(&path).map_err(|source| DeployError::Io {
        path: path.clone(),
        source,
    })?;
    vsn_of(&text).ok_or_else(|| DeployError::NoAppVersion {
        app: app.to_owned(),
        why: format!("no {{vsn, \"...\"}} in {}", path.display()),
    })
}

/// The string of the first `{vsn, "..."}` in an `.app` file's text.
fn vsn_of(text: &str) -> Option<String> {
    let mut rest = text;
    while let Some(at) = rest.find("vsn") {
        let before = rest[..at].trim_end();
        let after = rest[at + 3..].trim_start();
        rest = &rest[at + 3..];
        if !before.ends_with('{') {
            continue;
        }
        let Some(value) = after.strip_prefix(',') else {
            continue;
        };
        let value = value.trim_start().strip_prefix('"')?;
        let mut vsn = String::new();
        let mut chars = value.chars();
        while let Some(c) = chars.next() {
            match c {
                '"' => return Some(vsn),
                '\\' => vsn.push(chars.next()?),
                c => vsn.push(c),
            }
        }
        return None;
    }
    None
}

/// An Erlang string literal.
fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// An atom, quoted when it must be.
fn atom(name: &str) -> String {
    let plain = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '@');
    if plain && !RESERVED.contains(&name) {
        name.to_owned()
    } else {
        format!("'{}'", name.replace('\\', "\\\\").replace('\'', "\\'"))
    }
}

/// Erlang's reserved words, which must be quoted as atoms.
const RESERVED: [&str; 29] = [
    "after", "and", "andalso", "band", "begin", "bnot", "bor", "bsl", "bsr", "bxor", "case",
    "catch", "cond", "div", "else", "end", "fun", "if", "let", "maybe", "not", "of", "or",
    "orelse", "receive", "rem", "try", "when", "xor",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_and_atoms() {
        assert_eq!(
            vsn_of("{application, shop, [{description, \"x\"}, { vsn , \"1.2\\\"3\"}]}."),
            Some("1.2\"3".to_owned())
        );
        assert_eq!(vsn_of("{application, shop, [{modules, [vsn]}]}."), None);
        assert_eq!(atom("shop_server"), "shop_server");
        assert_eq!(atom("Shop"), "'Shop'");
        assert_eq!(atom("case"), "'case'");
        assert_eq!(atom("a'b"), "'a\\'b'");
    }
}
