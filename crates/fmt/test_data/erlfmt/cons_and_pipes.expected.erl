-module(cons_and_pipes).
-export([f/1]).

f([H | T]) -> [H, H | T];
f([A, B | Rest]) -> [B, A | f(Rest)];
f(L) -> [first_element_of_a_long_list, second_element_of_a_long_list | some_tail_expression(L)].

some_tail_expression(L) -> L.
