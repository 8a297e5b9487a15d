f(X) ->
    case X of
        {ok, V} when V > 0 -> V;
        _ -> 0
    end,
    if X > 1 -> a; true -> b end,
    receive
        {msg, M} -> M
    after 1000 -> timeout
    end,
    receive after 0 -> ok end,
    try g(X) of
        R -> R
    catch
        error:badarg -> 1;
        throw:T:Stack when T =/= x -> {T, Stack};
        Other -> Other
    after
        cleanup()
    end,
    try h() catch _:_ -> ok end,
    begin a, b end.
