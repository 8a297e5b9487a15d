-record(r, {a = 1, b
-export([f/0]).
f() -> ok.
