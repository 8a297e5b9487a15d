-module(literals_kept).
-export([f/0]).

f() ->
    Atoms = {'hello', 'Quoted', 'with space', ok, 'ok', '', 'é'},
    Chars = {$a, $\n, $\s, $ , $\x{41}, $\101, $\^A, $'},
    Integers = {16#FF, 16#ff, 2#1010, 1_000_000, 36#Zz, 007},
    Floats = {1.0, 1.0e10, 1.0E-3, 3.14_15, 0.5},
    Negative = {-1, - 2, -0.5},
    {Atoms, Chars, Integers, Floats, Negative}.
