f() ->
    g(
h() -> ok.
-export([h/0]).
