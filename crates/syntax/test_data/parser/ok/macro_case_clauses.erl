f(X) ->
    case X of
        a -> 1;
        ?OTHER_CLAUSES
    end,
    receive ?MSG_CLAUSE; stop -> ok after 10 -> ok end.
