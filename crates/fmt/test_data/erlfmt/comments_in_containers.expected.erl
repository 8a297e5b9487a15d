-module(comments_in_containers).
-export([f/0]).

f() ->
    L = [
        % leading comment in a list
        a,
        % trailing comment on b
        b,
        % comment before c
        c
        % comment after the last element
    ],
    % trailing in a collapsed tuple
    T = {a, b},
    M = #{
        % about key a
        a => 1
    },
    % about a
    C = call(
        a,
        b
    ),
    {L, T, M, C}.

call(A, B) -> {A, B}.
