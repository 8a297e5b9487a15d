f(B) ->
    <<A:8, Rest/binary>> = B,
    <<X:4/little-signed-integer-unit:8, Y/utf8, Z:(A * 2)/bits>> = Rest,
    <<>>,
    <<"abc", $d, 1.5/float, -1:8, (byte_size(B)):32>>,
    <<?M:8, (?N)/binary>>,
    {A, X, Y, Z}.
