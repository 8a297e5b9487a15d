-module(operators_spacing).
-export([f/2]).

f(A, B) ->
    C = A + B * 2 - 1 / 3,
    D = -A,
    E = -(+B),
    F = not A,
    G = bnot B,
    H = A div B rem 3 band 7 bor 8 bxor 1 bsl 2 bsr 1,
    I = [1] ++ [2] -- [3],
    J = (A + B) * C,
    K = A =:= B orelse A =/= B,
    L = {A == B, A /= B, A < B, A > B, A =< B, A >= B},
    self() ! {C, D},
    M = A and B or A xor B,
    N = -1 - -1,
    {C, D, E, F, G, H, I, J, K, L, M, N}.
