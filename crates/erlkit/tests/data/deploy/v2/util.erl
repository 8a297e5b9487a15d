-module(util).
-export([double/1, triple/1, loop/0]).
double(X) -> X * 2.
triple(X) -> lists:sum(lists:map(fun(_) -> X end, [1, 2, 3])).
loop() -> receive stop -> ok end.
