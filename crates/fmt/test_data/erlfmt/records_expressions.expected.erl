-module(records_expressions).
-export([f/1, g/1, h/0]).

-record(r, {a, b, c}).

f(R) -> R#r.a.

g(#r{a = A, b = B} = R) -> {A, B, R#r.c, #r.b}.

h() ->
    R = #r{a = 1, _ = undefined},
    R2 = R#r{b = some_long_value_expression(), c = another_long_value_expression(with, args)},
    R3 = R2#r{
        a = some_long_value_expression(), b = another_long_value_expression(with, more_args), c = []
    },
    Nested = (R2#r.a)#r.b,
    {R, R2, R3, Nested}.

some_long_value_expression() -> ok.
another_long_value_expression(_, _) -> ok.
