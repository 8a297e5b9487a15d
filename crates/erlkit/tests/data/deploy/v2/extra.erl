-module(extra).
-export([f/0]).
f() -> fun() -> util:triple(1) end.
