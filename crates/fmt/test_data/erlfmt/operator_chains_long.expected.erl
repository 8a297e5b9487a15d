-module(operator_chains_long).
-export([f/3, g/1, h/2, k/2, l/1, m/2, n/2]).

f(First, Second, Third) ->
    First + Second * Third - some_function_call(First) + another_function_call(Second) + Third.

g(List) ->
    List ++ another_list_with_a_long_name() ++ yet_another_list_with_a_long_name() ++ [final].

h(A, B) ->
    Result = A * some_long_multiplier_name() + B * another_long_multiplier() - some_offset_value(),
    Result.

k(First, Second) ->
    First + Second * some_function_call(First) - another_function_call(Second) + some_offset_value() +
        First.

l(List) ->
    List ++ another_list_with_a_long_name() ++ yet_another_list_with_a_long_name() ++
        [final, element].

m(A, B) ->
    Result =
        A * some_long_multiplier_name() + B * another_long_multiplier() - some_offset_value() * 2,
    Result.

n(A, B) ->
    A =:= some_long_function_name_number_one(B) + another_long_function_name_number_two(A, B).

some_function_call(X) -> X.
another_function_call(X) -> X.
another_list_with_a_long_name() -> [].
yet_another_list_with_a_long_name() -> [].
some_long_multiplier_name() -> 1.
another_long_multiplier() -> 1.
some_offset_value() -> 0.
