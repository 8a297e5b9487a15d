-module(clauses_first_decides).
-export([lookup/1, reverse_lookup/1, mixed/1]).

%% The first clause is on one line, so all clauses are.
lookup(1) -> one;
lookup(2) -> two;
lookup(3) -> three.

%% The first clause breaks after the arrow, so all clauses do.
reverse_lookup(one) ->
    1;
reverse_lookup(two) ->
    2;
reverse_lookup(three) ->
    3.

%% A clause whose body has several expressions always breaks,
%% and so the others follow the first clause only.
mixed(a) ->
    ok;
mixed(b) ->
    io:format("b~n"),
    ok;
mixed(_) ->
    error.
