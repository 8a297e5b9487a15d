-module(comments_in_clauses).
-export([f/1, g/1]).

f(X) ->
    case X of
        % comment before the first clause
        a -> 1;
        % comment before the second clause
        b -> 2;
        % trailing comment on a clause
        c -> 3
    end.

%% Comment before the first function clause.
g(0) ->
    zero;
%% Comment between function clauses.
g(N) when N > 0 ->
    % comment at the top of a clause body
    positive;
g(_) ->
    negative.
