f() ->
    - X#r.f,
    -m:f(),
    a:b(c):d(e),
    X = catch 1 + 2,
    #{a => 1}#{b => 2},
    [H | T] = L,
    F(X)(Y),
    X#r.a#r.b,
    <<(-1):8>>,
    bnot - 1,
    not not true.
