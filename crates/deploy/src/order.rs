//! The load order of changed modules: each after the changed modules it
//! depends on, as OTP's `systools_rc` orders the instructions of an appup.
//!
//! `systools_rc` makes a graph of the instructions' modules (an edge from a
//! module to each module it depends on), collapses each strongly connected
//! component (a cycle) into one node, and sorts that graph topologically;
//! the modules of one component keep the order of the instructions. On an
//! upgrade it loads in the reverse of that order: what a module depends on
//! comes first. This is that order, component by component.

use std::collections::HashMap;

/// `modules` (in the order of the instructions) in load order, grouped by
/// strongly connected component: every component after the components it
/// depends on. `depends_on(i)` are the indexes of the modules module `i`
/// depends on; indexes out of range and a module itself are ignored.
pub fn load_order(
    modules: &[String],
    depends_on: impl Fn(usize) -> Vec<usize>,
) -> Vec<Vec<String>> {
    let edges: Vec<Vec<usize>> = (0..modules.len())
        .map(|index| {
            let mut deps: Vec<usize> = depends_on(index)
                .into_iter()
                .filter(|&dep| dep < modules.len() && dep != index)
                .collect();
            deps.sort_unstable();
            deps.dedup();
            deps
        })
        .collect();
    // Tarjan's algorithm gives the components with every component after
    // those it reaches: here, after what it depends on.
    let components = strongly_connected(&edges);
    components
        .into_iter()
        .map(|mut component| {
            component.sort_unstable();
            component
                .into_iter()
                .map(|index| modules[index].clone())
                .collect()
        })
        .collect()
}

/// The strongly connected components of the graph, each after all the
/// components reachable from it (reverse topological order), without
/// recursion.
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let count = edges.len();
    let mut index_of: Vec<Option<usize>> = vec![None; count];
    let mut low = vec![0; count];
    let mut on_stack = vec![false; count];
    let mut stack = Vec::new();
    let mut components = Vec::new();
    let mut next_index = 0;
    // The depth-first path: a node and how many of its edges are done.
    let mut path: Vec<(usize, usize)> = Vec::new();
    let mut position: HashMap<usize, usize> = HashMap::new();
    for root in 0..count {
        if index_of[root].is_some() {
            continue;
        }
        path.push((root, 0));
        while let Some(&mut (node, ref mut edge)) = path.last_mut() {
            if *edge == 0 && index_of[node].is_none() {
                index_of[node] = Some(next_index);
                low[node] = next_index;
                next_index += 1;
                stack.push(node);
                on_stack[node] = true;
                position.insert(node, stack.len() - 1);
            }
            if let Some(&next) = edges[node].get(*edge) {
                *edge += 1;
                match index_of[next] {
                    None => path.push((next, 0)),
                    Some(next_index) if on_stack[next] => {
                        low[node] = low[node].min(next_index);
                    }
                    Some(_) => {}
                }
                continue;
            }
            path.pop();
            if let Some(&(parent, _)) = path.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if Some(low[node]) == index_of[node] {
                let start = position[&node];
                let component: Vec<usize> = stack.drain(start..).collect();
                for &member in &component {
                    on_stack[member] = false;
                }
                components.push(component);
            }
        }
    }
    components
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(names: &[&str], deps: &[(usize, usize)]) -> Vec<Vec<String>> {
        let modules: Vec<String> = names.iter().map(|name| name.to_string()).collect();
        load_order(&modules, |index| {
            deps.iter()
                .filter(|(from, _)| *from == index)
                .map(|(_, to)| *to)
                .collect()
        })
    }

    #[test]
    fn dependencies_load_first_and_cycles_load_together() {
        // a -> b -> c -> b, d alone, e -> a
        let groups = order(
            &["a", "b", "c", "d", "e"],
            &[(0, 1), (1, 2), (2, 1), (4, 0)],
        );
        assert_eq!(
            groups,
            vec![vec!["b", "c"], vec!["a"], vec!["d"], vec!["e"]]
        );
    }

    #[test]
    fn a_long_chain_does_not_recurse() {
        let names: Vec<String> = (0..100_000).map(|i| format!("m{i}")).collect();
        let modules = names.clone();
        let groups = load_order(&modules, |index| {
            if index + 1 < names.len() {
                vec![index + 1]
            } else {
                vec![]
            }
        });
        assert_eq!(groups.len(), 100_000);
        assert_eq!(groups[0], vec!["m99999".to_owned()]);
    }
}
