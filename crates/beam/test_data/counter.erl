%% The module compiled into counter.beam, the fixture of the beam crate's
%% tests: `erlc +debug_info counter.erl` (OTP 25).
-module(counter).
-behaviour(gen_server).
-export([start_link/0, bump/1, init/1, handle_call/3, handle_cast/2]).
-record(state, {count = 0 :: integer(), label = <<"counter">>}).

start_link() -> gen_server:start_link(?MODULE, [], []).

bump(Pid) -> gen_server:call(Pid, bump).

init([]) -> {ok, #state{}}.

handle_call(bump, _From, #state{count = N} = State) ->
    Next = State#state{count = N + 1},
    {reply, {ok, [N, 1.5, "text"]}, Next};
handle_call(_Other, _From, State) ->
    {reply, ignored, State}.

handle_cast(_Msg, State) ->
    Adder = fun(X) -> X + State#state.count end,
    _ = lists:map(Adder, [1, 2]),
    {noreply, State}.
