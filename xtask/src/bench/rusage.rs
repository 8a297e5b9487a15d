//! CPU time and peak memory as the kernel counts them: of this process, of the
//! calling thread (`getrusage`), and of one child process (`wait4`). Unix only;
//! the thread's CPU time needs Linux.

use std::ffi::OsString;
use std::io;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

/// Whose CPU time to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Every thread of this process (`RUSAGE_SELF`).
    Process,
    /// The calling thread (`RUSAGE_THREAD`).
    Thread,
}

/// User plus system CPU time used so far by `scope`; `None` where it cannot be read.
pub(crate) fn cpu_time(scope: Scope) -> Option<Duration> {
    #[cfg(unix)]
    {
        let who = match scope {
            Scope::Process => libc::RUSAGE_SELF,
            #[cfg(target_os = "linux")]
            Scope::Thread => libc::RUSAGE_THREAD,
            #[cfg(not(target_os = "linux"))]
            Scope::Thread => return None,
        };
        // SAFETY: getrusage writes one `rusage` into the zeroed value it is given.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: `usage` is a valid, writable `rusage`.
        if unsafe { libc::getrusage(who, &mut usage) } != 0 {
            return None;
        }
        Some(cpu_of(&usage))
    }
    #[cfg(not(unix))]
    {
        let _ = scope;
        None
    }
}

/// How a child process ran.
#[derive(Debug, Clone)]
pub(crate) struct ChildUsage {
    /// Its exit code; `None` when a signal ended it.
    pub(crate) code: Option<i32>,
    /// From spawning to reaping.
    pub(crate) wall: Duration,
    /// User plus system CPU time of the child and of the children it waited for.
    pub(crate) cpu: Duration,
    /// The largest resident set size of the child or one of those children, in bytes.
    pub(crate) peak_rss: u64,
}

/// Runs `command` to its end and reports its own resource usage, not that of
/// other children of this process.
#[cfg(unix)]
pub(crate) fn run_child(command: &mut Command) -> io::Result<ChildUsage> {
    let started = Instant::now();
    let child = command.spawn()?;
    let pid = libc::pid_t::try_from(child.id()).map_err(io::Error::other)?;
    let mut status: libc::c_int = 0;
    // SAFETY: wait4 writes one `rusage` into the zeroed value it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `status` and `usage` are valid and writable; `pid` is our unreaped child.
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if reaped == pid {
            break;
        }
        let error = io::Error::last_os_error();
        if error.kind() != io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
    let wall = started.elapsed();
    // Reaped above: dropping the handle only closes its pipes.
    drop(child);
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    Ok(ChildUsage {
        code,
        wall,
        cpu: cpu_of(&usage),
        // Linux counts `ru_maxrss` in KiB.
        peak_rss: u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024,
    })
}

#[cfg(not(unix))]
pub(crate) fn run_child(_: &mut Command) -> io::Result<ChildUsage> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "measuring a child process needs wait4 (Unix)",
    ))
}

/// Runs `program args` in `dir`, stdout to the file `stdout` (discarded when
/// `None`) and stderr to `stderr`, and reports its own usage, measured by a
/// small intermediate process.
///
/// Linux counts in a child's peak memory the memory of the process that started
/// it (at `exec`, the peak of the address space being replaced is kept), so a
/// child started by the benchmark, which holds the whole corpus, would report
/// the benchmark's peak. `xtask bench measure-child` starts the tool instead and
/// prints what `wait4` says of it. `Ok(None)` when `program` is not found.
pub(crate) fn run_measured(
    program: &std::ffi::OsStr,
    args: &[OsString],
    dir: &Path,
    env: &[(&str, &str)],
    stderr: std::fs::File,
    stdout: Option<&Path>,
) -> anyhow::Result<Option<ChildUsage>> {
    let xtask = std::env::current_exe().context("finding xtask's own path")?;
    let mut command = Command::new(&xtask);
    command.args(["bench", "measure-child"]);
    if let Some(stdout) = stdout {
        command.arg("--stdout").arg(stdout);
    }
    let output = command
        .arg("--")
        .arg(program)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .output()
        .with_context(|| format!("running {}", xtask.display()))?;
    let report = String::from_utf8_lossy(&output.stdout);
    if report.trim() == "not-found" {
        return Ok(None);
    }
    if !output.status.success() {
        bail!("xtask bench measure-child failed ({})", output.status);
    }
    parse_report(&report).map(Some)
}

/// `xtask bench measure-child [--stdout FILE] PROGRAM ARGS...`: runs the command
/// (stdin discarded, stdout to FILE or discarded, stderr inherited) and prints
/// `code`, `wall_us`, `cpu_us` and `peak_rss` lines, or `not-found`.
pub(crate) fn measure_child_main(
    command: &[OsString],
    stdout: Option<&Path>,
) -> anyhow::Result<()> {
    let Some((program, args)) = command.split_first() else {
        bail!("measure-child needs a command");
    };
    let stdout = match stdout {
        Some(path) => Stdio::from(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        ),
        None => Stdio::null(),
    };
    let mut child = Command::new(program);
    child.args(args).stdin(Stdio::null()).stdout(stdout);
    match run_child(&mut child) {
        Ok(usage) => {
            println!("code {}", usage.code.map_or(-1, i64::from));
            println!("wall_us {}", usage.wall.as_micros());
            println!("cpu_us {}", usage.cpu.as_micros());
            println!("peak_rss {}", usage.peak_rss);
            Ok(())
        }
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            println!("not-found");
            Ok(())
        }
        Err(error) => Err(error).with_context(|| format!("running {}", program.display())),
    }
}

/// Reads what [`measure_child_main`] printed.
fn parse_report(report: &str) -> anyhow::Result<ChildUsage> {
    let field = |key: &str| -> anyhow::Result<i64> {
        report
            .lines()
            .find_map(|line| line.strip_prefix(key)?.strip_prefix(' '))
            .and_then(|value| value.trim().parse().ok())
            .with_context(|| format!("measure-child printed no `{key}`: {report}"))
    };
    let unsigned = |key: &str| field(key).map(|value| u64::try_from(value).unwrap_or(0));
    let code = field("code")?;
    Ok(ChildUsage {
        code: i32::try_from(code).ok().filter(|&code| code >= 0),
        wall: Duration::from_micros(unsigned("wall_us")?),
        cpu: Duration::from_micros(unsigned("cpu_us")?),
        peak_rss: unsigned("peak_rss")?,
    })
}

#[cfg(unix)]
fn cpu_of(usage: &libc::rusage) -> Duration {
    let time = |t: libc::timeval| {
        Duration::from_secs(u64::try_from(t.tv_sec).unwrap_or(0))
            + Duration::from_micros(u64::try_from(t.tv_usec).unwrap_or(0))
    };
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// Resets this process's peak resident set size (`VmHWM`) to its current size,
/// so that a later reading is the peak of what ran in between (Linux 4.0 and later).
pub(crate) fn reset_peak_resident() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

#[cfg(all(test, unix))]
mod tests {
    use super::{Scope, cpu_time, parse_report, run_child};

    #[test]
    fn reports_are_read() {
        let usage = parse_report("code 1\nwall_us 2000\ncpu_us 1500\npeak_rss 4096\n").unwrap();
        assert_eq!(usage.code, Some(1));
        assert_eq!(usage.wall.as_micros(), 2000);
        assert_eq!(usage.cpu.as_micros(), 1500);
        assert_eq!(usage.peak_rss, 4096);
        assert_eq!(
            parse_report("code -1\nwall_us 1\ncpu_us 1\npeak_rss 1\n")
                .unwrap()
                .code,
            None
        );
        assert!(parse_report("code 0\n").is_err());
    }

    #[test]
    fn cpu_time_grows_with_work() {
        let before = cpu_time(Scope::Process).expect("getrusage");
        let mut x = 0u64;
        for i in 0..20_000_000u64 {
            x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(i));
        }
        assert!(cpu_time(Scope::Process).expect("getrusage") >= before);
        if cfg!(target_os = "linux") {
            assert!(cpu_time(Scope::Thread).is_some());
        }
    }

    #[test]
    fn a_child_is_measured_and_its_exit_code_kept() {
        let usage =
            run_child(std::process::Command::new("sh").args(["-c", "exit 3"])).expect("run sh");
        assert_eq!(usage.code, Some(3));
        assert!(usage.peak_rss > 0);
    }
}
