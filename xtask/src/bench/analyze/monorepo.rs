//! Synthetic monorepos for `bench analyze`: OTP's sources copied again and
//! again into the applications of one rebar3 umbrella until it has the lines
//! asked for.
//!
//! Copy `n` of OTP's application `app` is `apps/<app>_<n>/`, with OTP's
//! `src/*.erl`, `src/*.hrl` and `include/*.hrl` (not subdirectories) and an
//! `.app.src`. Every module is renamed, `-module(x)` to `x_<n>` in `x_<n>.erl`,
//! so that module names stay unique; calls still name the original modules.
//! `-include_lib("app/...")` and `-include("../../app/...")` are pointed at
//! `app_<n>` (at `app_1` when the last, partial copy has no `app`), so that
//! headers are found and expanded as in OTP itself. Applications are added
//! whole, OTP's in name order, copy after copy, until the lines reach the size.
//!
//! A monorepo is generated once: a manifest written last records what it was
//! made from and its files' count and bytes, and a later run reuses the
//! directory when they still match.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};

/// Bumped when what is generated changes, so that old monorepos are remade.
const GENERATOR: u32 = 2;
const MANIFEST: &str = ".erlkit-bench-monorepo";

/// OTP's sources that make up one copy, in memory.
pub(super) struct OtpSources {
    pub(super) apps: Vec<AppSources>,
}

/// One OTP application's files to copy.
pub(super) struct AppSources {
    name: String,
    files: Vec<SourceCopy>,
    /// Newlines of all its files, as `erlkit analyze` counts lines.
    lines: u64,
}

struct SourceCopy {
    /// `src` or `include`.
    dir: &'static str,
    /// The file name without its extension.
    stem: String,
    is_module: bool,
    /// As stored: Latin-1 files stay Latin-1.
    bytes: Vec<u8>,
}

impl OtpSources {
    /// The sources of the applications of the OTP at `root` that have modules.
    pub(super) fn read(root: &Path) -> anyhow::Result<OtpSources> {
        let mut apps = Vec::new();
        for app in project_model::layout::otp_apps(root) {
            let mut files = Vec::new();
            for (dir, extensions) in [("src", &["erl", "hrl"][..]), ("include", &["hrl"][..])] {
                let Ok(entries) = std::fs::read_dir(app.dir.join(dir)) else {
                    continue;
                };
                for entry in entries {
                    let path = entry?.path();
                    let Some(extension) = path.extension().and_then(|e| e.to_str()) else {
                        continue;
                    };
                    if !extensions.contains(&extension) || !path.is_file() {
                        continue;
                    }
                    let stem = path
                        .file_stem()
                        .and_then(|stem| stem.to_str())
                        .with_context(|| {
                            format!("a file name that is not UTF-8: {}", path.display())
                        })?
                        .to_owned();
                    let bytes = std::fs::read(&path)
                        .with_context(|| format!("reading {}", path.display()))?;
                    files.push(SourceCopy {
                        dir,
                        stem,
                        is_module: extension == "erl",
                        bytes,
                    });
                }
            }
            if !files.iter().any(|file| file.is_module) {
                continue;
            }
            files.sort_by(|a, b| (a.dir, &a.stem, a.is_module).cmp(&(b.dir, &b.stem, b.is_module)));
            let lines = files.iter().map(|file| newlines(&file.bytes)).sum();
            apps.push(AppSources {
                name: app.name,
                files,
                lines,
            });
        }
        if apps.is_empty() {
            bail!(
                "no OTP application with src/*.erl under {} (is erlang-src installed?)",
                root.display()
            );
        }
        Ok(OtpSources { apps })
    }

    pub(super) fn modules(&self) -> usize {
        self.apps
            .iter()
            .map(|app| app.files.iter().filter(|file| file.is_module).count())
            .sum()
    }

    pub(super) fn lines(&self) -> u64 {
        self.apps.iter().map(|app| app.lines).sum()
    }

    /// Which copies of which applications make `target` lines: (application
    /// index, copy number), whole applications until the lines reach it.
    fn plan(&self, target: u64) -> Vec<(usize, u32)> {
        let mut plan = Vec::new();
        let mut lines = 0;
        for copy in 1.. {
            for (index, app) in self.apps.iter().enumerate() {
                if lines >= target {
                    return plan;
                }
                plan.push((index, copy));
                lines += app.lines;
            }
        }
        plan
    }
}

/// A monorepo ready to analyse.
pub(super) struct Generated {
    pub(super) dir: PathBuf,
    pub(super) apps: usize,
    /// `generated in 4.1 s` or `reused`.
    pub(super) how: String,
}

/// The monorepo of `millions` of lines under `base`: reused when its manifest
/// says it was made from these sources and its files are as the manifest says;
/// made again otherwise.
pub(super) fn generate_or_reuse(
    sources: &OtpSources,
    otp_version: &str,
    base: &Path,
    millions: f64,
) -> anyhow::Result<Generated> {
    let target = (millions * 1e6).round() as u64;
    let dir = base.join(format!("monorepo-{millions}M"));
    let plan = sources.plan(target);
    let heading = format!(
        "erlkit bench analyze monorepo, generator {GENERATOR}\notp {otp_version}, {} modules, {} lines a copy\ntarget_lines {target}\napps {}\n",
        sources.modules(),
        sources.lines(),
        plan.len()
    );
    if let Ok(manifest) = std::fs::read_to_string(dir.join(MANIFEST))
        && let Some(rest) = manifest.strip_prefix(&heading)
        && rest == contents_line(&dir)?
    {
        return Ok(Generated {
            dir,
            apps: plan.len(),
            how: "reused".to_owned(),
        });
    }
    let started = Instant::now();
    if dir.exists() {
        eprintln!("xtask bench: making {} again", dir.display());
        std::fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))?;
    } else {
        eprintln!("xtask bench: generating {}", dir.display());
    }
    write_monorepo(sources, &plan, &dir)?;
    let manifest = format!("{heading}{}", contents_line(&dir)?);
    std::fs::write(dir.join(MANIFEST), manifest)
        .with_context(|| format!("writing the manifest in {}", dir.display()))?;
    Ok(Generated {
        dir,
        apps: plan.len(),
        how: format!("generated in {:.1} s", started.elapsed().as_secs_f64()),
    })
}

fn write_monorepo(sources: &OtpSources, plan: &[(usize, u32)], dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    std::fs::write(
        dir.join("rebar.config"),
        "%% Generated by `cargo xtask bench analyze` from OTP's sources.\n{erl_opts, [debug_info]}.\n{project_app_dirs, [\"apps/*\"]}.\n",
    )?;
    let copies: HashSet<(&str, u32)> = plan
        .iter()
        .map(|&(index, copy)| (sources.apps[index].name.as_str(), copy))
        .collect();
    for &(index, copy) in plan {
        let app = &sources.apps[index];
        // Where an application named by an include of this copy is.
        let resolve = |name: &str| {
            [copy, 1]
                .into_iter()
                .find(|&n| copies.contains(&(name, n)))
                .map(|n| format!("{name}_{n}"))
        };
        let name = format!("{}_{copy}", app.name);
        let app_dir = dir.join("apps").join(&name);
        for sub in ["src", "include"] {
            std::fs::create_dir_all(app_dir.join(sub))
                .with_context(|| format!("creating {}", app_dir.join(sub).display()))?;
        }
        std::fs::write(
            app_dir.join("src").join(format!("{name}.app.src")),
            format!(
                "{{application, {name}, [{{description, \"OTP's {} (copy {copy})\"}}, {{vsn, \"1\"}}]}}.\n",
                app.name
            ),
        )?;
        for file in &app.files {
            let file_name = if file.is_module {
                format!("{}_{copy}.erl", file.stem)
            } else {
                format!("{}.hrl", file.stem)
            };
            let path = app_dir.join(file.dir).join(file_name);
            std::fs::write(&path, renamed(&file.bytes, copy, resolve))
                .with_context(|| format!("writing {}", path.display()))?;
        }
    }
    Ok(())
}

/// `files N\nbytes N\n` of everything under `dir` but the manifest.
fn contents_line(dir: &Path) -> anyhow::Result<String> {
    let (mut files, mut bytes) = (0u64, 0u64);
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))?
        {
            let entry = entry?;
            let kind = entry.file_type()?;
            if kind.is_dir() {
                stack.push(entry.path());
            } else if entry.file_name() != MANIFEST {
                files += 1;
                bytes += entry.metadata()?.len();
            }
        }
    }
    Ok(format!("files {files}\nbytes {bytes}\n"))
}

/// `text` with `-module(x)` made `-module(x_<copy>)`, and the application
/// `app` of each `-include_lib("app/...")` and `-include("../../app/...")`
/// made `resolve(app)` where that is known. Works on bytes, so that Latin-1
/// files stay as they are.
fn renamed(text: &[u8], copy: u32, resolve: impl Fn(&str) -> Option<String>) -> Vec<u8> {
    let suffix = format!("_{copy}");
    let mut out = Vec::with_capacity(text.len() + 64);
    let mut module_done = false;
    for line in text.split_inclusive(|&b| b == b'\n') {
        if !module_done && let Some(at) = name_end_in_module(line) {
            out.extend_from_slice(&line[..at]);
            out.extend_from_slice(suffix.as_bytes());
            out.extend_from_slice(&line[at..]);
            module_done = true;
        } else if let Some((start, end)) = app_in_include(line)
            && let Some(app) = std::str::from_utf8(&line[start..end])
                .ok()
                .and_then(&resolve)
        {
            out.extend_from_slice(&line[..start]);
            out.extend_from_slice(app.as_bytes());
            out.extend_from_slice(&line[end..]);
        } else {
            out.extend_from_slice(line);
        }
    }
    out
}

/// In a `-module(name)` line, where the name ends (before a closing quote).
fn name_end_in_module(line: &[u8]) -> Option<usize> {
    let rest = line.strip_prefix(b"-module")?;
    let open = rest.iter().position(|&b| b == b'(')?;
    if !rest[..open].iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    let close = rest.iter().position(|&b| b == b')')?;
    let mut end = close;
    while end > open && rest[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    if end > open + 1 && rest[end - 1] == b'\'' {
        end -= 1;
    }
    (end > open + 1).then_some(line.len() - rest.len() + end)
}

/// Where the application's name is in an `-include_lib("app/...")` or
/// `-include("../../app/...")` line.
fn app_in_include(line: &[u8]) -> Option<(usize, usize)> {
    let rest = line
        .strip_prefix(b"-include_lib(\"")
        .or_else(|| line.strip_prefix(b"-include(\"../../"))?;
    let slash = rest.iter().position(|&b| b == b'/')?;
    let start = line.len() - rest.len();
    Some((start, start + slash))
}

fn newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

#[cfg(test)]
mod tests {
    use super::renamed;

    #[test]
    fn modules_and_includes_of_other_applications_are_renamed() {
        let resolve = |app: &str| (app == "kernel").then(|| "kernel_1".to_owned());
        let text = b"%% -module(no).\n-module(lists).\n-include_lib(\"kernel/include/file.hrl\").\n-include_lib(\"xmerl/include/x.hrl\").\n-include(\"../../kernel/src/l.hrl\").\n-module(again).\nf() -> \xe9.\n";
        let out = renamed(text, 3, resolve);
        assert_eq!(
            out,
            b"%% -module(no).\n-module(lists_3).\n-include_lib(\"kernel_1/include/file.hrl\").\n-include_lib(\"xmerl/include/x.hrl\").\n-include(\"../../kernel_1/src/l.hrl\").\n-module(again).\nf() -> \xe9.\n"
        );
        assert_eq!(
            renamed(b"-module( 'CosNaming' ).\n", 2, resolve),
            b"-module( 'CosNaming_2' ).\n"
        );
    }
}
