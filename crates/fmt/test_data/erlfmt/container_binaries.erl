-module(container_binaries).
-export([f/1]).

f(X) ->
    A = <<1, 2, 3>>,
    B = <<
        1, 2, 3>>,
    C = <<1,
        2, 3>>,
    D = << X:8, (byte_size(X)):16/big >>,
    E = <<>>,
    F = <<FirstSegment:8, SecondSegment:16/little, ThirdSegment/binary, FourthSegment:32/float, FifthSegment:64/unsigned-integer>>,
    {A, B, C, D, E, F}.
