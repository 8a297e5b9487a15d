-module(util).
-export([double/1, old_api/1, loop/0]).
double(X) -> X * 2.
old_api(X) -> lists:map(fun(Y) -> Y + X end, [1]).
loop() -> receive stop -> ok end.
