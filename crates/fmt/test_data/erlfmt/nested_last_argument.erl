-module(nested_last_argument).
-export([f/0, g/1, h/0]).

f() ->
    ok = gen_server:call(some_server_name, {request, with, arguments}, [option_one, option_two, option_three]).

g(Items) ->
    lists:foreach(fun(Item) ->
        io:format("~p~n", [Item]),
        ok
    end, Items).

h() ->
    maps:from_list([{key_one, value_one}, {key_two, value_two}, {key_three, value_three}, {k4, v4}]).
