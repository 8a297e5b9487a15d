-module(comments_in_containers).
-export([f/0]).

f() ->
    L = [
        % leading comment in a list
        a,
        b, % trailing comment on b
        % comment before c
        c
        % comment after the last element
    ],
    T = {a, % trailing in a collapsed tuple
         b},
    M = #{
        % about key a
        a => 1
    },
    C = call(a, % about a
             b),
    {L, T, M, C}.

call(A, B) -> {A, B}.
