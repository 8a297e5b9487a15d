-module(if_layouts).
-export([a/1, b/1, c/1]).

a(X) -> if X > 0 -> pos; X < 0 -> neg; true -> zero end.

b(X) ->
    if
        X > 0 ->
            pos;
        true -> other
    end.

c(X) ->
    if X > 0, X < 10 -> small;
       X >= 10 ; X =< -10 ->
           big;
       true -> zero
    end.
