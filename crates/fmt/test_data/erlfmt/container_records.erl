-module(container_records).
-export([f/1]).

-record(r, {a, b}).

f(R) ->
    A = #r{a=1, b=2},
    B = #r{
        a = 1, b = 2},
    C = #r{a = 1,
        b = 2},
    D = R#r{a = 3},
    E = R#r{
        a = 3},
    {A, B, C, D, E}.
