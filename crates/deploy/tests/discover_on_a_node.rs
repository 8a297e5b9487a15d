//! Finding the processes that run callback modules on a real node, as
//! `release_handler` finds them, and by initial call: kernel's supervision
//! tree (a child spec's `modules`, a `dynamic` event manager's handlers, the
//! top supervisor's callback module) and a gen_server outside any tree.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use deploy::{Connection, running_processes};

/// A node killed when dropped.
struct Node(Child);

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn supervised_dynamic_and_unsupervised_processes_are_found() {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let name = format!("erlkit_discover_{}x{nanos}", std::process::id());
    let cookie = format!("cookie{nanos}");
    // pg:start/1 runs a gen_server that no supervisor knows of; the event
    // manager too has no supervisor.
    let Ok(child) = Command::new("erl")
        .args([
            "-sname",
            &format!("{name}@localhost"),
            "-setcookie",
            &cookie,
            "-noshell",
            "-eval",
            "{ok, _} = pg:start(erlkit_scope), {ok, E} = gen_event:start(), \
             ok = gen_event:add_handler(E, erl_signal_handler, [])",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
    else {
        eprintln!("SKIPPED: erl is not installed");
        return;
    };
    let _node = Node(child);
    let node = format!("{name}@localhost");
    let started = Instant::now();
    let processes = loop {
        let found = Connection::open(&node, &cookie, Duration::from_secs(5))
            .map_err(deploy::ApplyError::from)
            .and_then(|mut connection| running_processes(&mut connection, 2000));
        match found {
            // Set up once the event manager, started last, has its handler.
            Ok(found)
                if found
                    .iter()
                    .filter(|p| p.modules.iter().any(|m| m == "erl_signal_handler"))
                    .count()
                    == 2 =>
            {
                break found;
            }
            _ if started.elapsed() > Duration::from_secs(20) => {
                panic!("the node did not start: {found:?}")
            }
            _ => std::thread::sleep(Duration::from_millis(200)),
        }
    };
    let runs = |module: &str| {
        processes
            .iter()
            .filter(|p| p.modules.iter().any(|m| m == module))
            .count()
    };
    // kernel_sup, the application's top supervisor, by its callback module.
    assert!(runs("kernel") >= 1, "{processes:?}");
    // A worker's child spec: file_server_2 lists its modules.
    assert_eq!(runs("file_server"), 1, "{processes:?}");
    // erl_signal_server is a `dynamic` event manager: its handler; and the
    // unsupervised event manager, by its handler.
    assert_eq!(runs("erl_signal_handler"), 2, "{processes:?}");
    // Not supervised: found by its initial call.
    assert_eq!(runs("pg"), 1, "{processes:?}");
}
