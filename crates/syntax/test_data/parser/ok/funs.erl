f() ->
    F1 = fun(X) -> X; (_) -> y end,
    F2 = fun Fact(0) -> 1; Fact(N) -> N * Fact(N - 1) end,
    F3 = fun g/1,
    F4 = fun m:g/2,
    F5 = fun M:F/A,
    F6 = fun ?MODULE:g/1,
    F7 = fun(X) when X > 0 -> X end,
    [F1, F2, F3, F4, F5, F6, F7].
