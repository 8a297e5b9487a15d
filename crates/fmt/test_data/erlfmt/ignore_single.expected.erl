-module(ignore_single).
-export([matrix/0, formatted/0]).

%% erlfmt:ignore I like it more this way
-define(DELTA_MATRIX, [
    [0,   0,   0],
    [0, -16,   0],
    [0,   0,  15]
]).

% erlfmt-ignore
matrix()  ->   [ 1,2,
                 3,4 ].

formatted() ->
    [
        1,
        2,
        3,
        4
    ].
