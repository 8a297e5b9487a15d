-module(binaries).
-export([f/1, g/1]).

f(<<102 : 8 / unsigned-big-integer, Rest / binary>>) -> Rest;
f(<<Len:16, Data:Len/binary-unit:8, _/bits>>) -> Data.

g(X) ->
    A = <<"hello">>,
    B = <<"utf"/utf8, X/utf16-little, 1.5/float-little-unit:1>>,
    C = <<(X + 1):32/signed-integer, (size(X)):8>>,
    D = <<A/binary, B/binary, C/binary, "a long string literal to force breaking">>,
    {A, B, C, D}.
