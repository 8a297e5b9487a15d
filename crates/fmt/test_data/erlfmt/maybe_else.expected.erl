-module(maybe_else).
-feature(maybe_expr, enable).
-export([a/1, b/1]).

a(X) ->
    maybe
        {ok, Y} ?= X,
        Y
    end.

b(X) ->
    maybe
        {ok, A} ?= first(X),
        {ok, B} ?= second(A),
        {A, B}
    else
        {error, R} -> {failed, R};
        Other -> Other
    end.

first(X) -> {ok, X}.
second(X) -> {ok, X}.
