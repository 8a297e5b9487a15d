-module(fun_types_in_spec).
-export([apply_fun/2]).

-spec apply_fun(fun((Input :: term(), Accumulator :: term()) -> {continue, term()} | {halt, term()}), term()) -> term().
apply_fun(F, X) -> F(X, X).
