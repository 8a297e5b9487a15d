%% @format
-module(pragma_require_present).
-export([f/0]).
f() -> [a, b, c].
