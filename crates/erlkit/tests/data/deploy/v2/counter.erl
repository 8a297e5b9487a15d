-module(counter).
-behaviour(gen_server).
-vsn("2").
-export([start_link/0, bump/1, init/1, handle_call/3, handle_cast/2, code_change/3]).
-record(state, {count = 0, step = 1}).
start_link() -> gen_server:start_link(?MODULE, [], []).
bump(Pid) -> gen_server:call(Pid, bump).
init([]) -> {ok, #state{}}.
handle_call(bump, _From, #state{count = N, step = D} = S) -> {reply, N, S#state{count = N + D}}.
handle_cast(_, S) -> {noreply, S}.
code_change({down, _}, #state{count = N}, _) -> {ok, {state, N}};
code_change(_, {state, N}, _) -> {ok, #state{count = N}}.
