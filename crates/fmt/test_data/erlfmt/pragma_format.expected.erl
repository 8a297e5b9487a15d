%% @format
-module(pragma_format).
-export([f/0]).
f() -> [a, b, c].
