-module(nif).
-on_load(init/0).
-export([add/2, sub/2]).
init() -> ok.
add(A, B) -> A + B.
sub(A, B) -> A - B.
