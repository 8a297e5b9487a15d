//! `deploy::load_order` against OTP's `systools_rc` on random dependency
//! graphs with cycles, compared as partial orders (a topological order is not
//! unique): in both orders every module loads after the modules it depends
//! on outside its cycle, and the modules of a cycle load together.

use std::collections::HashMap;
use std::io::Write;
use std::process::{Command, Stdio};

/// A small deterministic generator (the graphs are the same in every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % bound
    }
}

/// A graph: for each module, the indexes it depends on.
fn graphs() -> Vec<Vec<Vec<usize>>> {
    let mut random = Lcg(2026);
    (0..60)
        .map(|_| {
            let count = 2 + random.next(14);
            (0..count)
                .map(|_| {
                    let edges = random.next(3);
                    (0..edges).map(|_| random.next(count)).collect()
                })
                .collect()
        })
        .collect()
}

fn name(index: usize) -> String {
    format!("m{index}")
}

/// What `systools_rc` loads, in order, for each graph; `None` without `erl`.
fn systools_orders(graphs: &[Vec<Vec<usize>>]) -> Option<Vec<Vec<String>>> {
    let helper = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/erlang/systools_order.erl"
    );
    let boot = "{ok, M, B} = compile:file(os:getenv(\"HELPER\"), [binary, report]), \
                {module, M} = code:load_binary(M, \"systools_order.erl\", B), \
                M:main(), halt().";
    let child = Command::new("erl")
        .args(["-noshell", "-eval", boot])
        .env("HELPER", helper)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        eprintln!("SKIPPED: `erl` is not installed, so systools_rc cannot judge the load order");
        return None;
    };
    let input: String = graphs
        .iter()
        .map(|graph| {
            let modules: Vec<String> = graph
                .iter()
                .enumerate()
                .map(|(index, deps)| {
                    let deps: Vec<String> = deps
                        .iter()
                        .filter(|&&dep| dep != index)
                        .map(|&dep| name(dep))
                        .collect();
                    format!("{}:{}", name(index), deps.join(","))
                })
                .collect();
            modules.join(";") + "\n"
        })
        .collect();
    let mut stdin = child.stdin.take().expect("erl's stdin");
    stdin.write_all(input.as_bytes()).expect("writing to erl");
    drop(stdin);
    let output = child.wait_with_output().expect("erl runs");
    assert!(output.status.success(), "the systools_rc helper failed");
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    Some(
        text.lines()
            .map(|line| line.split_whitespace().map(str::to_owned).collect())
            .collect(),
    )
}

/// Whether `order` loads every module after its dependencies outside its
/// group, with each group's modules next to each other.
fn respects(
    order: &[String],
    graph: &[Vec<usize>],
    group_of: &HashMap<String, usize>,
) -> Result<(), String> {
    let position: HashMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(at, module)| (module.as_str(), at))
        .collect();
    if position.len() != graph.len() || order.len() != graph.len() {
        return Err(format!("not a permutation of the modules: {order:?}"));
    }
    for (index, deps) in graph.iter().enumerate() {
        for &dep in deps {
            let (module, dep) = (name(index), name(dep));
            if group_of[&module] != group_of[&dep]
                && position[dep.as_str()] > position[module.as_str()]
            {
                return Err(format!(
                    "{module} loads before {dep}, which it depends on: {order:?}"
                ));
            }
        }
    }
    // Each group's modules are next to each other.
    let mut spans: HashMap<usize, (usize, usize, usize)> = HashMap::new();
    for (at, module) in order.iter().enumerate() {
        let span = spans.entry(group_of[module]).or_insert((at, at, 0));
        span.1 = at;
        span.2 += 1;
    }
    for (first, last, size) in spans.into_values() {
        if last - first + 1 != size {
            return Err(format!("the cycle of {} is split: {order:?}", order[first]));
        }
    }
    Ok(())
}

#[test]
fn load_orders_agree_with_systools_rc() {
    let graphs = graphs();
    let Some(judged) = systools_orders(&graphs) else {
        return;
    };
    assert_eq!(judged.len(), graphs.len(), "one order per graph");
    let mut with_cycles = 0;
    for (graph, judged) in graphs.iter().zip(&judged) {
        let modules: Vec<String> = (0..graph.len()).map(name).collect();
        let groups = deploy::load_order(&modules, |index| graph[index].clone());
        if groups.iter().any(|group| group.len() > 1) {
            with_cycles += 1;
        }
        let group_of: HashMap<String, usize> = groups
            .iter()
            .enumerate()
            .flat_map(|(at, group)| group.iter().map(move |module| (module.clone(), at)))
            .collect();
        let ours: Vec<String> = groups.into_iter().flatten().collect();
        respects(&ours, graph, &group_of).unwrap_or_else(|error| panic!("erlkit: {error}"));
        respects(judged, graph, &group_of).unwrap_or_else(|error| panic!("systools_rc: {error}"));
    }
    assert!(with_cycles >= 10, "only {with_cycles} graphs with cycles");
}
