%% Other text in the same block.
-module(pragma_delete).
-export([f/0]).
f() -> [a, b, c].
