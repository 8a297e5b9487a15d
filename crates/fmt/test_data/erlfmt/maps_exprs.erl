-module(maps_exprs).
-export([f/1, g/1]).

f(#{key := Value, other := _} = Map) -> Map#{key => Value + 1, new => true}.

g(M) ->
    Nested = #{outer => #{inner => #{deepest => value}}, list => [1, 2, 3], tuple => {a, b}},
    Keys = #{{composite, key} => 1, <<"binary">> => 2, "string" => 3, 4.5 => float},
    maps:get(key, M#{key => 1}),
    {Nested, Keys}.
