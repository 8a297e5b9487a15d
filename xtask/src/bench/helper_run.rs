//! Runs one of the benchmarks' Erlang helpers (`xtask/erlang/bench_*.erl`)
//! on a list of modules as a measured child process, and reads the
//! `key value` lines it reports.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::Path;

use anyhow::{Context, bail};

use super::rusage::{self, ChildUsage};
use crate::corpus::erlang_helper;

/// What a helper reported, with what its run cost.
pub(super) struct HelperReport {
    pub(super) usage: ChildUsage,
    name: &'static str,
    text: String,
    values: BTreeMap<String, u64>,
}

impl HelperReport {
    /// The value of the report's `key` line.
    pub(super) fn field(&self, key: &str) -> anyhow::Result<u64> {
        self.values.get(key).copied().with_context(|| {
            format!(
                "the {} helper printed no `{key}` line:\n{}",
                self.name, self.text
            )
        })
    }
}

/// Runs `xtask/erlang/<file>` (called `name` in messages) on the modules
/// listed in `list`, its report and stderr kept in `logs` as `<name>.txt`
/// and `<name>.stderr`.
pub(super) fn run(
    file: &str,
    name: &'static str,
    list: &Path,
    logs: &Path,
) -> anyhow::Result<HelperReport> {
    let report = logs.join(format!("{name}.txt"));
    let log = logs.join(format!("{name}.stderr"));
    let stderr = File::create(&log).with_context(|| format!("creating {}", log.display()))?;
    let helper = erlang_helper::path(file);
    let (helper, list) = (
        helper.to_str().context("the helper's path is not UTF-8")?,
        list.to_str().context("the list's path is not UTF-8")?,
    );
    let args: Vec<std::ffi::OsString> = ["-noshell", "-eval", erlang_helper::BOOT]
        .iter()
        .map(Into::into)
        .collect();
    let env = [
        ("ERLKIT_HELPER", helper),
        ("ERLKIT_BENCH_FILES", list),
        ("ERL_CRASH_DUMP_SECONDS", "0"),
    ];
    let usage = rusage::run_measured("erl".as_ref(), &args, logs, &env, stderr, Some(&report))?
        .context("`erl` not found (is OTP installed?)")?;
    if usage.code != Some(0) {
        bail!(
            "the {name} helper failed ({:?}); see {}",
            usage.code,
            log.display()
        );
    }
    let text = std::fs::read_to_string(&report)
        .with_context(|| format!("reading {}", report.display()))?;
    let values = text
        .lines()
        .filter_map(|line| {
            let (key, value) = line.split_once(' ')?;
            Some((key.to_owned(), value.trim().parse().ok()?))
        })
        .collect();
    Ok(HelperReport {
        usage,
        name,
        text,
        values,
    })
}

/// The median of `values` (the upper one of an even count); zero of none.
pub(super) fn median<T: Ord + Default>(values: impl Iterator<Item = T>) -> T {
    let mut values: Vec<T> = values.collect();
    values.sort();
    let middle = values.len() / 2;
    values.into_iter().nth(middle).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn the_median_is_the_middle_value() {
        assert_eq!(median([3, 1, 2].into_iter()), 2);
        assert_eq!(median([4, 1, 3, 2].into_iter()), 3);
        assert_eq!(median(std::iter::empty::<u64>()), 0);
    }
}
