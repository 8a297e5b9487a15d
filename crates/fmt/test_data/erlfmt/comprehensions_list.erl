-module(comprehensions_list).
-export([a/1, b/1, c/2, d/1, e/2]).

a(L) -> [X*2||X<-L].

b(L) -> [X || X <- L, X > 0, is_integer(X)].

c(Xs, Ys) -> [{X, Y} || X <- Xs, Y <- Ys, X =/= Y, some_predicate_with_a_long_name(X, Y), another_check(X)].

e(Xs, Ys) -> [{X, Y} || X <- Xs, Y <- Ys, X =/= Y, some_predicate_with_a_long_name(X, Y), another_check(X, Y)].

d(L) -> [
    X || X <- L].

some_predicate_with_a_long_name(_, _) -> true.
another_check(_) -> true.
