-module(receive_after).
-export([a/0, b/0, c/0, d/1]).

a() -> receive {msg, M} -> M; stop -> stop end.

b() ->
    receive
        {msg, M} ->
            M
    after 1000 ->
        timeout
    end.

c() -> receive after 500 -> ok end.

d(Pid) ->
    Pid ! {self(), ping},
    receive {Pid, pong} -> ok, done after infinity -> never end.
