-module(andalso_orelse).
-export([f/2, g/1, h/1, k/1, l/2]).

f(Op, Atom) ->
    is_atom(Op) andalso
        Atom =/= '!' andalso
        Atom =/= '='.

g(X) -> X =:= a orelse X =:= b orelse X =:= c.

k(Value) ->
    is_integer(Value) andalso Value > 0 andalso Value < 1000 andalso Value rem 2 =:= 0 andalso
        Value =/= 42.

l(A, B) ->
    (A =:= some_long_atom_value orelse B =:= another_long_atom_value) andalso A =/= B andalso
        is_atom(A).

h(Value) ->
    is_integer(Value) andalso Value > 0 andalso Value < 1000 andalso Value rem 2 =:= 0 orelse
        Value =:= special.
