-module(case_layouts).
-export([a/1, b/1, c/1, d/1, e/1]).

a(Code) ->
    case is_beautiful(Code) of
        true ->        ring_the_bell();
        false ->
            dig_a_hole()
    end.

b(Code) ->
    case is_beautiful(Code) of
        true ->
    ring_the_bell();
        false -> dig_a_hole()
    end.

c(X) -> case X of {ok, V} -> V; _ -> default end.

d(X) ->
    case X of
        {ok, V} when V > 10, V < 100 -> big;
        {ok, V} when is_integer(V) -> small;
        _ -> none
    end.

e(X) ->
    case X of
        Long when Long =:= some_very_long_atom_value_to_compare_against; Long =:= another_long_atom_value ->
            yes;
        _ ->
            no
    end.

is_beautiful(_) -> true.
ring_the_bell() -> ok.
dig_a_hole() -> ok.
