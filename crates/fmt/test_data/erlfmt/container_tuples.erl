-module(container_tuples).
-export([f/0]).

f() ->
    A = {   ok, value},
    B = {
        ok, value},
    C = {ok,
        value},
    D = {error, {some_reason, with_details}, and_a_very_long_element_that_does_not_fit, on_a_line},
    E = { },
    F = {error, {some_reason, with_details}, and_a_very_long_element_that_does_not_fit, on_one_line_at_all},
    G = {tag, [first_list_element, second_list_element, third_list_element, fourth_list_element, fifth_list_element]},
    {A, B, C, D, E, F, G}.
