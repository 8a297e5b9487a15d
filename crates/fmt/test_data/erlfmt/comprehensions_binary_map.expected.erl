-module(comprehensions_binary_map).
-export([a/1, b/1, c/1, d/1]).

a(Bin) -> <<<<(X + 1)>> || <<X>> <= Bin>>.

b(Bin) -> [X || <<X:8>> <= Bin, X > 32].

c(L) ->
    <<<<X:16/little>> || X <- L, X rem 2 =:= 0, X > some_limit_value(), X < another_limit_value()>>.

d(M) -> #{K => V * 2 || K := V <- M}.

some_limit_value() -> 0.
another_limit_value() -> 100.
