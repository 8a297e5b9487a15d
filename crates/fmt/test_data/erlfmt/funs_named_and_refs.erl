-module(funs_named_and_refs).
-export([a/0, b/0, c/1]).

a() -> fun Fact(0) -> 1; Fact(N) -> N * Fact(N - 1) end.

b() -> {fun a/0, fun ?MODULE:a/0, fun lists:map/2, fun erlang:'+'/2}.

c(M) -> {fun M:f/1, fun M:F/A}.
