-module(long_calls).
-export([f/0, g/0, h/0, i/0]).

f() ->
    scenario(
        dial_phone_number(),
        ring(),
        hello(mike),
        hello(joe),
        hello(robert),
        system_working(),
        seems_to_be()
    ).

g() ->
    some_module:some_function_with_a_long_name(
        first_argument, second_argument, {nested, tuple, here}
    ).

h() ->
    outer_call(
        inner_call(argument_number_one, argument_number_two), another_inner(argument_three, four)
    ).

i() ->
    lists:foldl(
        fun(Element, Accumulator) -> [Element | Accumulator] end, [], some_long_list_name_here
    ).
