-module(long_expressions_mixed).
-export([f/1]).

f(X) ->
    Long = some_module:some_function_name(first_argument_value, second_argument_value, third_argument_value),
    Tuples = [{key_one, value_one}, {key_two, value_two}, {key_three, value_three}, {key_4, value_four}],
    {ok, Pid} = gen_server:start_link({local, some_server_name}, some_module_name, [], [{debug, [trace]}]),
    Str = "a string that is long enough to go past the line width limit of one hundred columns ok ok ok",
    foo(fun() -> a_long_function_body_call(with_arguments, and_more) end, some_other_argument_here_too),
    bar(some_argument, fun(X) -> a_long_function_body_call(with_arguments, and_more, X) end),
    baz(some_argument, case X of a -> ok; b -> error end),
    {Long, Tuples, Pid, Str}.
