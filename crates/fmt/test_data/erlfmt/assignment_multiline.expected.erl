-module(assignment_multiline).
-export([f/1]).

f(Base) ->
    Prefix =
        case Base of
            binary -> "2#";
            octal -> "8#";
            hex -> "16#"
        end,
    Fun = fun(X) ->
        X
    end,
    List = [
        a, b
    ],
    Long = some_module:some_function_name(first_argument_value, second_argument_value, third),
    {A, B} = {C, D} = {1, 2},
    {Prefix, Fun, List, Long, A, B, C, D}.
