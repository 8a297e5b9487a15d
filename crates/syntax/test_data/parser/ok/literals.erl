f() ->
    [1, 1_000_000, 16#FF_FF, 2#1010, 36#zz, 1.5, 1.0e10, 2.5E-3,
     $a, $\n, $\^A, $\x{1F600}, $\s, $ ,
     "string", "esc\"aped\n", "con" "cat" ?M "x",
     'quoted atom', 'it\'s', atom@node, _Var, _].
