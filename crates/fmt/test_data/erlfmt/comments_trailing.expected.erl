% trailing after module
-module(comments_trailing).
%% trailing after export
-export([f/1]).

% after the arrow
f(X) ->
    % after an expression
    Y = X + 1,
    % after the first argument
    Z = foo(
        Y,
        % after the call
        Y
    ),
    % after the last expression
    Z.

% after a one-line function
foo(A, B) -> {A, B}.
