-feature(maybe_expr, enable).
f() ->
    maybe
        {ok, A} ?= a(),
        true = A >= 0,
        A
    else
        {error, _} = E -> E
    end.
