-module(function_multi_expr_body).
-export([run/0, run/1, nested/1]).

run() ->
    compile(),
    execute().

run(X) ->
    A = X + 1,
    B = A * 2,
    {A, B}.

nested(X) ->
    case X of
        a ->
            one(),
            two();
        b ->
            three
    end.

compile() -> ok.
execute() -> ok.
one() -> ok.
two() -> ok.
three() -> ok.
