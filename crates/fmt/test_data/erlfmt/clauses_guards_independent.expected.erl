-module(clauses_guards_independent).
-export([k/1]).

%% Guardless clauses break together; a clause with a guard decides alone.
k(a) ->
    ok;
k(X) when X > 0 -> X;
k(b) ->
    a(),
    b().

a() -> ok.
b() -> ok.
