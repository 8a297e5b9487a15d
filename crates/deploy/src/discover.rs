//! Which processes run which modules, found as `release_handler` finds
//! them (each application's supervision tree: child specs' `modules`, and
//! for `dynamic` ones the event manager's handlers), plus, unlike
//! `release_handler`, processes outside any tree by their initial call
//! (an event manager's by its handlers).
//! Read only, and in one request.

use eetf::{FixInteger, Term};

use crate::apply::ApplyError;
use crate::eval::{elements, eval_with};
use crate::remote::Connection;

/// A process and the modules it runs as callback modules.
#[derive(Debug, Clone)]
pub struct RunningProcess {
    pub pid: Term,
    pub modules: Vec<String>,
}

/// Walks the supervision trees with `T` as the timeout of each call (a
/// suspended or stuck supervisor is skipped, not waited for), then adds
/// every process whose `'$initial_call'` names a callback module (`{M,
/// init, 1}` for gen_server and gen_statem, `{supervisor, M, 1}` for a
/// supervisor), and every event manager's handlers.
const DISCOVER: &str = r#"
Call = fun(P, Label, Req) -> try gen:call(P, Label, Req, T) of {ok, R} -> R catch _:_ -> [] end end,
Dynamic = fun(P) -> case Call(P, self(), get_modules) of Ms when is_list(Ms) -> Ms; _ -> [] end end,
Walk = fun
  Walk(Sup, Acc) ->
    Children = case Call(Sup, '$gen_call', which_children) of L when is_list(L) -> L; _ -> [] end,
    lists:foldl(fun
        ({_, P, Type, Mods}, A) when is_pid(P) ->
          Ms = case Mods of dynamic -> Dynamic(P); _ when is_list(Mods) -> Mods; _ -> [] end,
          A1 = [{P, Ms} | A],
          case Type of supervisor -> Walk(P, A1); _ -> A1 end;
        (_, A) -> A
      end, Acc, Children)
end,
Tops = lists:foldl(fun({App, _, _}, A) ->
    case application_controller:get_master(App) of
      Master when is_pid(Master) ->
        case catch application_master:get_child(Master) of
          {Root, _} when is_pid(Root) ->
            Mod = case catch supervisor:get_callback_module(Root) of M when is_atom(M) -> [M]; _ -> [] end,
            Walk(Root, [{Root, Mod} | A]);
          _ -> A
        end;
      _ -> A
    end
  end, [], application:which_applications(T)),
Initial = [{P, [M]} || P <- erlang:processes(),
    {dictionary, D} <- [erlang:process_info(P, dictionary)],
    {'$initial_call', Call0} <- [lists:keyfind('$initial_call', 1, D)],
    M <- case Call0 of
           {supervisor, M0, 1} -> [M0];
           {gen_event, init_it, 6} -> Dynamic(P);
           {M0, init, 1} -> [M0];
           _ -> [] end],
Tops ++ Initial.
"#;

/// Every process that runs a callback module, with its modules (a process
/// found twice has its modules merged).
pub fn running_processes(
    connection: &mut Connection,
    timeout_ms: u64,
) -> Result<Vec<RunningProcess>, ApplyError> {
    let timeout = Term::from(FixInteger::from(
        i32::try_from(timeout_ms).unwrap_or(i32::MAX),
    ));
    let found = eval_with(connection, DISCOVER, vec![("T", timeout)])?;
    let mut processes: Vec<RunningProcess> = Vec::new();
    for entry in elements(&found) {
        let Term::Tuple(pair) = entry else { continue };
        let [pid, modules] = pair.elements.as_slice() else {
            continue;
        };
        let names = elements(modules).iter().filter_map(|m| match m {
            Term::Atom(atom) => Some(atom.name.clone()),
            _ => None,
        });
        match processes.iter_mut().find(|p| &p.pid == pid) {
            Some(known) => {
                for name in names {
                    if !known.modules.contains(&name) {
                        known.modules.push(name);
                    }
                }
            }
            None => processes.push(RunningProcess {
                pid: pid.clone(),
                modules: names.collect(),
            }),
        }
    }
    Ok(processes)
}
