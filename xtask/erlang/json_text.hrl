%% JSON text for the Erlang helpers' output, shared by the oracles that
%% include this file: join/1 puts commas between encoded values, string/1
%% encodes a string (chardata) with JSON's escapes.

join([]) -> [];
join([X | Xs]) -> [X | [[$, | Y] || Y <- Xs]].

string(S) ->
    Chars = case unicode:characters_to_list(S) of
                L when is_list(L) -> L;
                _ -> binary_to_list(iolist_to_binary(S))
            end,
    [$", [escape(C) || C <- Chars], $"].

escape($") -> <<"\\\"">>;
escape($\\) -> <<"\\\\">>;
escape($\n) -> <<"\\n">>;
escape($\t) -> <<"\\t">>;
escape(C) when C >= 16#20, C < 16#7f -> C;
escape(C) when C > 16#ffff ->
    V = C - 16#10000,
    [hex4(16#d800 bor (V bsr 10)), hex4(16#dc00 bor (V band 16#3ff))];
escape(C) -> hex4(C).

hex4(C) -> io_lib:format("\\u~4.16.0b", [C]).
