//! `cargo xtask bench deploy`, second part: `erlkit deploy apply` of a
//! 50-module change on 3 loopback nodes, against the manual way (an rpc loop
//! of `c:l/1` per module per node) on the same nodes in the same run.

use std::fmt::Write as _;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use super::helper_run::median;
use super::rusage::{self, ChildUsage};

/// Library modules (each calls the one before it) and gen_servers (a state
/// record that gains a field in v2, migrated by `code_change/3`).
const LIBRARIES: usize = 45;
const SERVERS: usize = 5;
/// Loopback nodes the change is applied to.
const NODES: usize = 3;
/// The bar of the issue: the whole `deploy apply`, process start to exit.
const APPLY_BAR: Duration = Duration::from_secs(3);
/// How long a node may take to start and set itself up.
const READY_TIMEOUT: Duration = Duration::from_secs(60);

/// Runs the part: builds v1 and v2 of the modules under `dir` (made anew),
/// starts the nodes, and measures `passes` times each way.
pub(crate) fn run(erlkit: &Path, dir: &Path, logs: &Path, passes: usize) -> anyhow::Result<()> {
    if passes == 0 {
        bail!("--apply-passes must be at least 1");
    }
    if dir.exists() {
        std::fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    let modules = module_names();
    let (v1, v2) = (dir.join("v1/ebin"), dir.join("v2/ebin"));
    for (version, ebin) in [(1, &v1), (2, &v2)] {
        let src = dir.join(format!("src-v{version}"));
        write_sources(&src, version)?;
        compile(&src, ebin)?;
    }
    let live = dir.join("live/ebin");
    copy_beams(&v1, &live)?;
    let cookie_file = dir.join("cookie");
    let cookie = random_cookie();
    write_cookie(&cookie_file, &cookie)?;
    let erlkit = Erlkit {
        exe: erlkit,
        dir,
        logs,
        cookie_file: &cookie_file,
    };
    let (up, down) = (dir.join("up.json"), dir.join("down.json"));
    erlkit.diff(&v1, &v2, &up, &modules)?;
    erlkit.diff(&v2, &v1, &down, &modules)?;

    println!();
    println!(
        "== `erlkit deploy apply` of a {}-module change ({LIBRARIES} library modules, {SERVERS} gen_servers whose state record gains a field, migrated by code_change/3) on {NODES} loopback nodes, against an rpc loop of c:l/1 per module per node",
        modules.len()
    );
    println!("modules built by erlc +debug_info in {}", dir.display());
    let pid = std::process::id();
    let names: Vec<String> = (1..=NODES)
        .map(|k| format!("erlkit_bench_n{k}_{pid}@localhost"))
        .collect();
    // Generous: the nodes stop themselves after it if this process is killed.
    let lifetime = Duration::from_secs(600 + 120 * passes as u64);
    let cluster = Cluster::start(&names, &cookie, &live, dir, logs, lifetime)?;
    let nodes = cluster.names.join(",");
    let mut hidden = Hidden {
        cookie: &cookie,
        nodes: &names,
        dir,
        logs,
        serial: 0,
    };
    // Each check reads the loaded hashes from the nodes against beam_lib:md5/1
    // of the build's files, and the gen_servers' states with sys:get_state/1.
    let (v1_state, v2_state) = ("{state, S, C}", "{state, S, C, 1}");
    hidden
        .check(&v1, v1_state)?
        .expect("after the nodes started")?;

    let mut applies: Vec<ChildUsage> = Vec::new();
    let mut parallel_applies: Vec<ChildUsage> = Vec::new();
    let mut loops: Vec<Duration> = Vec::new();
    let mut drivers: Vec<ChildUsage> = Vec::new();
    for pass in 0..passes {
        eprintln!(
            "xtask bench: erlkit deploy apply and the c:l loop (pass {} of {passes})",
            pass + 1
        );
        // (a) erlkit, timed from process start to exit, from v1 everywhere:
        // node by node (the default), then the canary and the other two
        // together (--parallel 2); each time back to v1 untimed.
        for (extra, runs) in [
            (&[][..], &mut applies),
            (&["--parallel", "2"][..], &mut parallel_applies),
        ] {
            let usage = erlkit.apply(&up, &nodes, extra, "apply-up")?;
            eprintln!(
                "xtask bench:   erlkit deploy apply {} {:.3} s",
                extra.join(" "),
                usage.wall.as_secs_f64()
            );
            runs.push(usage);
            hidden
                .check(&v2, v2_state)?
                .expect("after erlkit deploy apply")?;
            erlkit.apply(&down, &nodes, &[], "apply-down")?;
            hidden
                .check(&v1, v1_state)?
                .expect("after erlkit deploy apply of the plan back")?;
        }
        // (c) The manual way: v2's beams where the nodes load from, then c:l/1.
        copy_beams(&v2, &live)?;
        let (usage, loop_time) = hidden.c_l_loop(&modules)?;
        eprintln!(
            "xtask bench:   c:l loop {:.3} s, its driver {:.3} s",
            loop_time.as_secs_f64(),
            usage.wall.as_secs_f64()
        );
        drivers.push(usage);
        loops.push(loop_time);
        let found = hidden.check(&v2, v1_state)?;
        if !found.code.is_empty() {
            bail!(
                "after the c:l loop, modules not at v2: {}",
                shortened(&found.code)
            );
        }
        if pass == 0 {
            if found.states.is_empty() {
                println!(
                    "note: the c:l loop leaves the {} gen_servers' states as v1 records under v2's code (no code_change); erlkit suspends them, migrates them and resumes them",
                    NODES * SERVERS
                );
            } else {
                println!(
                    "note: after the c:l loop, gen_server states not in v1's shape: {}",
                    found.states
                );
            }
        }
        // (d) Back to v1 the same way, not timed.
        copy_beams(&v1, &live)?;
        hidden.c_l_loop(&modules)?;
        hidden
            .check(&v1, v1_state)?
            .expect("after the c:l loop back")?;
    }
    drop(cluster);

    let apply_wall = median(applies.iter().map(|run| run.wall));
    let parallel_wall = median(parallel_applies.iter().map(|run| run.wall));
    let parallel_cpu = median(parallel_applies.iter().map(|run| run.cpu));
    let parallel_rss = median(parallel_applies.iter().map(|run| run.peak_rss));
    let apply_cpu = median(applies.iter().map(|run| run.cpu));
    let apply_rss = median(applies.iter().map(|run| run.peak_rss));
    let loop_wall = median(loops.iter().copied());
    let driver_wall = median(drivers.iter().map(|run| run.wall));
    let driver_cpu = median(drivers.iter().map(|run| run.cpu));
    let driver_rss = median(drivers.iter().map(|run| run.peak_rss));
    let calls = modules.len() * NODES;
    println!("{:<52} {:>10} {:>10} {:>10}", "", "wall", "CPU", "peak RSS");
    println!(
        "{:<52} {:>8.3} s {:>8.3} s {:>7.1} MB   median of {passes}",
        "erlkit deploy apply (process start to exit)",
        apply_wall.as_secs_f64(),
        apply_cpu.as_secs_f64(),
        apply_rss as f64 / 1e6,
    );
    println!(
        "{:<52} {:>8.3} s {:>8.3} s {:>7.1} MB   median of {passes}",
        "the same with --parallel 2 (canary, then 2 at once)",
        parallel_wall.as_secs_f64(),
        parallel_cpu.as_secs_f64(),
        parallel_rss as f64 / 1e6,
    );
    println!(
        "{:<52} {:>8.3} s {:>10} {:>10}   median of {passes}; timer:tc in the driver, connected beforehand",
        format!("rpc loop of c:l/1 ({calls} calls)"),
        loop_wall.as_secs_f64(),
        "",
        "",
    );
    println!(
        "{:<52} {:>8.3} s {:>8.3} s {:>7.1} MB   median of {passes}; VM start included",
        "the same, erl -eval driver start to exit",
        driver_wall.as_secs_f64(),
        driver_cpu.as_secs_f64(),
        driver_rss as f64 / 1e6,
    );
    println!(
        "erlkit is {} than the c:l loop alone, {} than the c:l driver start to exit",
        ratio(apply_wall, loop_wall),
        ratio(apply_wall, driver_wall)
    );
    println!(
        "erlkit --parallel 2 is {} than the c:l loop alone, {} than the c:l driver start to exit",
        ratio(parallel_wall, loop_wall),
        ratio(parallel_wall, driver_wall)
    );
    println!(
        "(the c:l loop loads beams copied beforehand into the nodes' code path, copy not timed, and migrates no state; erlkit ships the binaries, checks each node before and after, and runs code_change)"
    );
    println!(
        "bar: under 3 s end to end: {} ({:.3} s)",
        if apply_wall < APPLY_BAR {
            "met"
        } else {
            "MISSED"
        },
        apply_wall.as_secs_f64()
    );
    Ok(())
}

/// `N.Nx faster` or `N.Nx slower`, of `ours` against `theirs`.
fn ratio(ours: Duration, theirs: Duration) -> String {
    let (ours, theirs) = (ours.as_secs_f64(), theirs.as_secs_f64());
    if ours <= theirs {
        format!("{:.1}x faster", theirs / ours.max(1e-9))
    } else {
        format!("{:.1}x slower", ours / theirs.max(1e-9))
    }
}

fn library_name(k: usize) -> String {
    format!("erlkit_bench_lib_{k:02}")
}

fn server_names() -> Vec<String> {
    (1..=SERVERS)
        .map(|k| format!("erlkit_bench_srv_{k}"))
        .collect()
}

/// Every module, sorted.
fn module_names() -> Vec<String> {
    let mut names: Vec<String> = (1..=LIBRARIES).map(library_name).collect();
    names.extend(server_names());
    names.sort();
    names
}

/// Writes the sources of `version` (1 or 2) into `src`.
fn write_sources(src: &Path, version: u32) -> anyhow::Result<()> {
    std::fs::create_dir_all(src).with_context(|| format!("creating {}", src.display()))?;
    for k in 1..=LIBRARIES {
        let name = library_name(k);
        let text = library_source(k, version);
        std::fs::write(src.join(format!("{name}.erl")), text)?;
    }
    for name in server_names() {
        std::fs::write(
            src.join(format!("{name}.erl")),
            server_source(&name, version),
        )?;
    }
    Ok(())
}

/// A library module: `value/1` calls the module before it; v2 changes a
/// constant and adds an exported function.
fn library_source(k: usize, version: u32) -> String {
    let name = library_name(k);
    let value = if k == 1 {
        "value(X) -> X + 1.".to_owned()
    } else {
        format!("value(X) -> {}:value(X) + {k}.", library_name(k - 1))
    };
    let mut text = format!("-module({name}).\n");
    if version == 1 {
        text.push_str("-export([value/1, twice/1, describe/1]).\n");
    } else {
        text.push_str("-export([value/1, twice/1, describe/1, added/0]).\n");
    }
    let _ = write!(
        text,
        "{value}\n\
         twice(X) -> 2 * value(X).\n\
         describe(X) -> {{?MODULE, value(X), version()}}.\n\
         version() -> {version}.\n"
    );
    if version == 2 {
        text.push_str("added() -> {?MODULE, version()}.\n");
    }
    text
}

/// A gen_server registered under its module's name, started unlinked; v2's
/// state record gains `step`, and `code_change/3` of each version turns
/// either shape into its own.
fn server_source(name: &str, version: u32) -> String {
    let last = library_name(LIBRARIES);
    let (record, migrate, bump) = if version == 1 {
        (
            "-record(state, {name, count = 0}).",
            "migrate({state, Name, Count}) -> #state{name = Name, count = Count};\n\
             migrate({state, Name, Count, _Step}) -> #state{name = Name, count = Count}.",
            "S#state{count = N + 1}",
        )
    } else {
        (
            "-record(state, {name, count = 0, step = 1}).",
            "migrate({state, Name, Count}) -> #state{name = Name, count = Count};\n\
             migrate({state, Name, Count, Step}) -> #state{name = Name, count = Count, step = Step}.",
            "S#state{count = N + S#state.step}",
        )
    };
    format!(
        "-module({name}).\n\
         -behaviour(gen_server).\n\
         -export([start/0, hits/0, init/1, handle_call/3, handle_cast/2, handle_info/2, code_change/3]).\n\
         {record}\n\
         start() -> gen_server:start({{local, ?MODULE}}, ?MODULE, [], []).\n\
         hits() -> gen_server:call(?MODULE, hits).\n\
         init([]) -> {{ok, #state{{name = ?MODULE, count = {last}:value(1)}}}}.\n\
         handle_call(hits, _From, #state{{count = N}} = S) -> {{reply, N, {bump}}}.\n\
         handle_cast(_, S) -> {{noreply, S}}.\n\
         handle_info(_, S) -> {{noreply, S}}.\n\
         code_change(_OldVsn, State, _Extra) -> {{ok, migrate(State)}}.\n\
         {migrate}\n"
    )
}

/// `erlc +debug_info -o ebin src/*.erl`.
fn compile(src: &Path, ebin: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(ebin).with_context(|| format!("creating {}", ebin.display()))?;
    let mut sources: Vec<PathBuf> = std::fs::read_dir(src)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "erl"))
        .collect();
    sources.sort();
    let status = Command::new("erlc")
        .arg("+debug_info")
        .arg("-o")
        .arg(ebin)
        .args(&sources)
        .status()
        .context("running erlc")?;
    if !status.success() {
        bail!("erlc failed on {} ({status})", src.display());
    }
    Ok(())
}

/// Copies every `.beam` file of `from` into `to` (made if missing).
fn copy_beams(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|ext| ext == "beam") {
            let name = path.file_name().context("a file name")?;
            std::fs::copy(&path, to.join(name))
                .with_context(|| format!("copying {}", path.display()))?;
        }
    }
    Ok(())
}

/// 128 bits from the standard library's randomly keyed hasher, in hex.
fn random_cookie() -> String {
    use std::hash::{BuildHasher, Hasher};
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_nanos());
    let mut cookie = String::new();
    for round in 0..2u8 {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u128(seed);
        hasher.write_u32(std::process::id());
        hasher.write_u8(round);
        let _ = write!(cookie, "{:016x}", hasher.finish());
    }
    cookie
}

/// Writes the cookie, readable by its owner only.
fn write_cookie(path: &Path, cookie: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(cookie.as_bytes())?;
    Ok(())
}

/// An Erlang string literal of `text`.
fn erl_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// An Erlang list of quoted atoms.
fn erl_atoms(names: &[String]) -> String {
    let atoms: Vec<String> = names
        .iter()
        .map(|name| format!("'{}'", name.replace('\\', "\\\\").replace('\'', "\\'")))
        .collect();
    format!("[{}]", atoms.join(", "))
}

/// The erlkit binary and where it runs.
struct Erlkit<'a> {
    exe: &'a Path,
    dir: &'a Path,
    logs: &'a Path,
    cookie_file: &'a Path,
}

impl Erlkit<'_> {
    /// `erlkit deploy diff OLD NEW --out PLAN`; checks that every module is a
    /// step and every gen_server is updated with code_change.
    fn diff(&self, old: &Path, new: &Path, plan: &Path, modules: &[String]) -> anyhow::Result<()> {
        let output = Command::new(self.exe)
            .args(["deploy", "diff", "--out"])
            .arg(plan)
            .arg(old)
            .arg(new)
            .current_dir(self.dir)
            .stdin(Stdio::null())
            .output()
            .with_context(|| format!("running {}", self.exe.display()))?;
        if !matches!(output.status.code(), Some(0 | 1)) {
            bail!(
                "erlkit deploy diff {} {} failed ({}): {}",
                old.display(),
                new.display(),
                output.status,
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let text = std::fs::read(plan).with_context(|| format!("reading {}", plan.display()))?;
        let value: serde_json::Value = serde_json::from_slice(&text)
            .with_context(|| format!("{} is not JSON", plan.display()))?;
        let steps = value["plan"]["steps"]
            .as_array()
            .map_or(&[][..], Vec::as_slice);
        let code_change = steps
            .iter()
            .filter(|step| step["action"] == "update_code_change")
            .count();
        let risks = value["plan"]["risks"].as_array().map_or(0, Vec::len);
        println!(
            "plan {}: {} modules to load, {code_change} with code_change, {risks} risks",
            plan.display(),
            steps.len()
        );
        if steps.len() != modules.len() || code_change != SERVERS {
            bail!(
                "the plan {} has {} steps ({code_change} with code_change); expected {} ({SERVERS})",
                plan.display(),
                steps.len(),
                modules.len()
            );
        }
        Ok(())
    }

    /// Times `erlkit deploy apply PLAN` from process start to exit; it must
    /// exit 0. Any journal of an earlier run is removed first.
    fn apply(
        &self,
        plan: &Path,
        nodes: &str,
        extra: &[&str],
        log: &str,
    ) -> anyhow::Result<ChildUsage> {
        remove_journals(plan)?;
        let mut args: Vec<std::ffi::OsString> = vec![
            "deploy".into(),
            "apply".into(),
            plan.into(),
            "--nodes".into(),
            nodes.into(),
            "--cookie-file".into(),
            self.cookie_file.into(),
        ];
        args.extend(extra.iter().map(Into::into));
        let stdout = self.logs.join(format!("{log}.stdout"));
        let stderr_path = self.logs.join(format!("{log}.stderr"));
        let stderr = File::create(&stderr_path)
            .with_context(|| format!("creating {}", stderr_path.display()))?;
        let usage = rusage::run_measured(
            self.exe.as_os_str(),
            &args,
            self.dir,
            &[],
            stderr,
            Some(&stdout),
        )?
        .with_context(|| format!("{} not found", self.exe.display()))?;
        if usage.code != Some(0) {
            bail!(
                "erlkit deploy apply {} failed ({:?}); see {} and {}",
                plan.display(),
                usage.code,
                stdout.display(),
                stderr_path.display()
            );
        }
        Ok(usage)
    }
}

/// Removes the files `<plan>.journal*` (and `.<plan>.journal*`, a journal
/// being written) beside the plan, so that each run starts afresh.
fn remove_journals(plan: &Path) -> anyhow::Result<()> {
    let (Some(dir), Some(name)) = (plan.parent(), plan.file_name().and_then(|n| n.to_str())) else {
        return Ok(());
    };
    let prefixes = [format!("{name}.journal"), format!(".{name}.journal")];
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        let matches = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| prefixes.iter().any(|prefix| n.starts_with(prefix.as_str())));
        if matches {
            if path.is_dir() {
                std::fs::remove_dir_all(&path)?;
            } else {
                std::fs::remove_file(&path)?;
            }
        }
    }
    Ok(())
}

/// The nodes of the benchmark, killed when dropped.
struct Cluster {
    children: Vec<Child>,
    names: Vec<String>,
}

impl Cluster {
    /// Starts one `erl -sname NAME` per name with `live` in its code path; each
    /// loads every module, starts the gen_servers and then writes a file
    /// saying so, which is waited for.
    fn start(
        names: &[String],
        cookie: &str,
        live: &Path,
        dir: &Path,
        logs: &Path,
        lifetime: Duration,
    ) -> anyhow::Result<Cluster> {
        let mut cluster = Cluster {
            children: Vec::new(),
            names: Vec::new(),
        };
        let modules = erl_atoms(&module_names());
        let servers = erl_atoms(&server_names());
        let mut ready_files = Vec::new();
        for (index, name) in names.iter().enumerate() {
            let ready = dir.join(format!("ready-{}", index + 1));
            let setup = format!(
                "[{{module, M}} = code:ensure_loaded(M) || M <- {modules}], \
                 [{{ok, _}} = M:start() || M <- {servers}], \
                 spawn(fun() -> timer:sleep({}), erlang:halt(3) end), \
                 ok = file:write_file({}, <<\"ready\">>).",
                lifetime.as_millis(),
                erl_string(&ready.to_string_lossy())
            );
            let log_path = logs.join(format!("node-{}.log", index + 1));
            let log = File::create(&log_path)
                .with_context(|| format!("creating {}", log_path.display()))?;
            let child = Command::new("erl")
                .args(["-sname", name, "-setcookie", cookie, "-noshell"])
                .arg("-pa")
                .arg(live)
                .args(["-eval", &setup])
                .current_dir(dir)
                .stdin(Stdio::null())
                .stdout(log.try_clone()?)
                .stderr(log)
                .spawn()
                .context("running erl (is OTP installed?)")?;
            cluster.children.push(child);
            cluster.names.push(name.clone());
            ready_files.push((ready, log_path));
        }
        let started = Instant::now();
        for (index, (ready, log)) in ready_files.iter().enumerate() {
            while !ready.exists() {
                if let Some(status) = cluster.children[index].try_wait()? {
                    bail!(
                        "the node {} stopped ({status}) before it was set up; see {}",
                        names[index],
                        log.display()
                    );
                }
                if started.elapsed() > READY_TIMEOUT {
                    bail!(
                        "the node {} was not set up within {} s; see {}",
                        names[index],
                        READY_TIMEOUT.as_secs(),
                        log.display()
                    );
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        eprintln!(
            "xtask bench: {} nodes up and set up in {:.1} s",
            names.len(),
            started.elapsed().as_secs_f64()
        );
        Ok(cluster)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// What a check of the nodes found, empty when all is as expected.
struct Findings {
    /// Modules whose loaded hash is not that of the build's file.
    code: String,
    /// gen_servers whose state does not have the expected shape.
    states: String,
}

impl Findings {
    fn expect(self, when: &str) -> anyhow::Result<()> {
        if !self.code.is_empty() {
            bail!(
                "{when}, modules not at the expected build: {}",
                shortened(&self.code)
            );
        }
        if !self.states.is_empty() {
            bail!(
                "{when}, gen_servers whose state is not the expected record: {}",
                shortened(&self.states)
            );
        }
        Ok(())
    }
}

/// The first 1,000 characters of `text`, marked when cut.
fn shortened(text: &str) -> String {
    match text.char_indices().nth(1000) {
        Some((at, _)) => format!("{} ...", &text[..at]),
        None => text.to_owned(),
    }
}

/// Hidden `erl` nodes started to talk to the benchmark's nodes.
struct Hidden<'a> {
    cookie: &'a str,
    nodes: &'a [String],
    dir: &'a Path,
    logs: &'a Path,
    /// Numbers the hidden nodes' names, each used once.
    serial: usize,
}

impl Hidden<'_> {
    /// `erl -sname NAME -hidden -setcookie COOKIE -noshell -eval SCRIPT`.
    fn args(&mut self, role: &str, script: String) -> Vec<std::ffi::OsString> {
        self.serial += 1;
        let name = format!("erlkit_bench_{role}_{}_{}", std::process::id(), self.serial);
        vec![
            "-sname".into(),
            name.into(),
            "-hidden".into(),
            "-setcookie".into(),
            self.cookie.into(),
            "-noshell".into(),
            "-eval".into(),
            script.into(),
        ]
    }

    /// The manual way, in one driver: connects to the nodes, then times with
    /// `timer:tc` one `rpc:call(N, c, l, [M])` per module per node, each of
    /// which must answer `{module, M}`. Gives the driver's usage (VM start
    /// included) and the loop's time.
    fn c_l_loop(&mut self, modules: &[String]) -> anyhow::Result<(ChildUsage, Duration)> {
        let script = format!(
            "Nodes = {}, Mods = {}, \
             [pong = net_adm:ping(N) || N <- Nodes], \
             Loop = fun() -> [{{N, M, rpc:call(N, c, l, [M])}} || N <- Nodes, M <- Mods] end, \
             {{Us, Results}} = timer:tc(Loop), \
             case [X || {{_, M, R}} = X <- Results, R =/= {{module, M}}] of \
               [] -> io:format(\"loop_us ~p~n\", [Us]), halt(0); \
               Bad -> io:format(\"failed ~p~n\", [Bad]), halt(1) \
             end.",
            erl_atoms(self.nodes),
            erl_atoms(modules)
        );
        let stdout = self.logs.join("c-l-driver.stdout");
        let stderr_path = self.logs.join("c-l-driver.stderr");
        let stderr = File::create(&stderr_path)
            .with_context(|| format!("creating {}", stderr_path.display()))?;
        let args = self.args("driver", script);
        let usage =
            rusage::run_measured("erl".as_ref(), &args, self.dir, &[], stderr, Some(&stdout))?
                .context("erl not found")?;
        let printed = std::fs::read_to_string(&stdout).unwrap_or_default();
        if usage.code != Some(0) {
            bail!(
                "the c:l driver failed ({:?}): {printed}; see {}",
                usage.code,
                stderr_path.display()
            );
        }
        let micros: u64 = printed
            .lines()
            .find_map(|line| line.strip_prefix("loop_us "))
            .and_then(|value| value.trim().parse().ok())
            .with_context(|| format!("the c:l driver printed no loop time: {printed}"))?;
        Ok((usage, Duration::from_micros(micros)))
    }

    /// Asks every node for the loaded hash of each module of `ebin` (against
    /// `beam_lib:md5/1` of its file) and for each gen_server's state
    /// (`sys:get_state/1`), matched against `pattern` (Erlang, with `S` bound
    /// to the server's name and `C` to an integer).
    fn check(&mut self, ebin: &Path, pattern: &str) -> anyhow::Result<Findings> {
        let script = format!(
            "Nodes = {}, Servers = {}, \
             Beams = filelib:wildcard(filename:join({}, \"*.beam\")), \
             Expected = [begin {{ok, {{M, Md5}}}} = beam_lib:md5(F), {{M, Md5}} end || F <- Beams], \
             {} = length(Expected), \
             [pong = net_adm:ping(N) || N <- Nodes], \
             Loaded = fun(N, M) -> case rpc:call(N, code, is_loaded, [M]) of \
               {{file, _}} -> rpc:call(N, erlang, get_module_info, [M, md5]); Other -> Other end end, \
             Code = [{{N, M}} || N <- Nodes, {{M, Md5}} <- Expected, Loaded(N, M) =/= Md5], \
             State = fun(N, S) -> case catch rpc:call(N, sys, get_state, [S]) of \
               {pattern} when is_integer(C) -> ok; Other -> {{N, S, Other}} end end, \
             States = [X || X <- [State(N, S) || N <- Nodes, S <- Servers], X =/= ok], \
             io:format(\"code ~w~nstates ~w~n\", [Code, States]), halt(0).",
            erl_atoms(self.nodes),
            erl_atoms(&server_names()),
            erl_string(&ebin.to_string_lossy()),
            LIBRARIES + SERVERS,
        );
        let output = Command::new("erl")
            .args(self.args("checker", script))
            .current_dir(self.dir)
            .stdin(Stdio::null())
            .output()
            .context("running erl")?;
        let printed = String::from_utf8_lossy(&output.stdout).into_owned();
        let line = |key: &str| {
            printed
                .lines()
                .find_map(|line| line.strip_prefix(key))
                .map(|rest| {
                    if rest == "[]" {
                        String::new()
                    } else {
                        rest.to_owned()
                    }
                })
        };
        match (output.status.success(), line("code "), line("states ")) {
            (true, Some(code), Some(states)) => Ok(Findings { code, states }),
            _ => bail!(
                "checking the nodes failed ({}): {printed}{}",
                output.status,
                String::from_utf8_lossy(&output.stderr)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{library_source, ratio, server_source};
    use std::time::Duration;

    #[test]
    fn ratios_say_which_way() {
        assert_eq!(
            ratio(Duration::from_millis(100), Duration::from_millis(250)),
            "2.5x faster"
        );
        assert_eq!(
            ratio(Duration::from_millis(300), Duration::from_millis(100)),
            "3.0x slower"
        );
    }

    #[test]
    fn sources_differ_between_versions() {
        assert_ne!(library_source(2, 1), library_source(2, 2));
        assert!(library_source(2, 1).contains("erlkit_bench_lib_01:value(X)"));
        assert!(server_source("s", 2).contains("step = 1"));
        assert!(!server_source("s", 1).contains("step = 1"));
    }
}
