-module(parens_kept).
-export([f/2]).

f(A, B) ->
    X = (A + B),
    Y = (A),
    Z = (A + B) * (A - B),
    W = -(A),
    V = (fun() -> ok end)(),
    U = (catch A),
    {X, Y, Z, W, V, U}.
