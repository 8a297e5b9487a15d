-module(counter).
-behaviour(gen_server).
-vsn("1").
-export([start_link/0, bump/1, init/1, handle_call/3, handle_cast/2]).
-record(state, {count = 0}).
start_link() -> gen_server:start_link(?MODULE, [], []).
bump(Pid) -> gen_server:call(Pid, bump).
init([]) -> {ok, #state{}}.
handle_call(bump, _From, #state{count = N} = S) -> {reply, N, S#state{count = N + 1}}.
handle_cast(_, S) -> {noreply, S}.
