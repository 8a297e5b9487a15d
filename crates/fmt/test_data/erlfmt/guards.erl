-module(guards).
-export([g1/1, g2/2, g3/3, g4/1]).

g1(X) when is_integer(X), X > 0 -> pos;
g1(X) when is_integer(X);is_float(X) -> num;
g1(_) -> other.

g2(A, B) when is_list(A) andalso is_list(B) andalso length(A) =:= length(B) andalso A =/= [] -> same;
g2(_, _) -> different.

g3(Alpha, Beta, Gamma) when is_integer(Alpha), is_integer(Beta), is_integer(Gamma), Alpha < Beta, Beta < Gamma ->
    ordered;
g3(_, _, _) ->
    unordered.

g4(X) when X =:= a; X =:= b; X =:= c; X =:= d; X =:= e; X =:= f; X =:= g; X =:= h; X =:= i -> letter;
g4(_) -> no.
