-module(blank_lines).

-export([f/0, g/0]).

f() ->
    A = 1,

    B = 2,

    A + B.
g() ->
    ok.
