-module(begin_end).
-export([a/0, b/0]).

a() ->
    begin
        one(),
        two()
    end.

b() ->
    X = begin
        1
    end,
    Y = begin
        2
    end,
    X + Y.

one() -> ok.
two() -> ok.
