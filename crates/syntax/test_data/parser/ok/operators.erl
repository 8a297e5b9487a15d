f(A, B, C) ->
    X = Y = A + B * C - -A div 2 rem 3,
    Pid ! Msg = {X, Y},
    A andalso B orelse C,
    A ++ B ++ C -- D,
    A == B, A /= B, A =< B, A < B, A >= B, A > B, A =:= B, A =/= B,
    bnot A band B bor C bxor D bsl 1 bsr 2,
    not A and B or C xor D,
    catch A = B,
    #r.f + X#r.f,
    m:f(1) + M:F(2) + (fun() -> 1 end)().
