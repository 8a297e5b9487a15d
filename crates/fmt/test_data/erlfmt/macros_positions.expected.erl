-module(macros_positions).
-export([f/1, ?MODULE_STRING / 0]).
-define(M, m).
-define(F(X), X).

f(?M) ->
    ?M;
f(X) when ?F(X) -> ?F(X);
f(X) ->
    ?LOG_INFO("message ~p", [X]),
    Y = ?MODULE:f(?M),
    Z = #?M{field = 1},
    W = ?F(X)#rec.field,
    V = <<X:?SIZE/binary>>,
    U = [?M, ?F(1), ??X],
    T = ?assertEqual(ok, f(a)),
    case X of
        ?M -> ok;
        ?F(_) -> ok
    end,
    ?M(1, 2),
    {Y, Z, W, V, U, T}.

?MODULE_STRING() -> ok.
