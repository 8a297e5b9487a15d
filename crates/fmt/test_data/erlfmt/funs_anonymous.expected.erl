-module(funs_anonymous).
-export([a/0, b/0, c/0, d/0, e/0]).

a() -> fun() -> ok end.

b() -> fun(X) -> X + 1 end.

c() ->
    fun
        (0) -> zero;
        (N) when N > 0 -> positive;
        (_) -> negative
    end.

d() ->
    fun(X) ->
        io:format("~p~n", [X]),
        X
    end.

e() ->
    lists:map(
        fun(Element) -> transform_the_element_with_a_long_function_name(Element, extra) end, [
            1, 2, 3
        ]
    ).

transform_the_element_with_a_long_function_name(E, _) -> E.
