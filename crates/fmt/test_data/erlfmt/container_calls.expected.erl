-module(container_calls).
-export([f/0]).

f() ->
    a(1, 2),
    b(
        1, 2
    ),
    c(
        1,
        2
    ),
    mod:d(
        1,
        2
    ),
    e(),
    f(),
    ok.
