-module(blank_lines_in_containers).
-export([f/1, g/0, h/0, k/1]).

f(a) -> 1;

f(b) -> 2.

g() ->
    [a,

     b,


     c].

h() -> {a,

   b}.

k(X) -> case X of a -> 1;

b -> 2 end.
