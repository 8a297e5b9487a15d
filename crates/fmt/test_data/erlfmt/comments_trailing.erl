-module(comments_trailing). % trailing after module
-export([f/1]).   %% trailing after export

f(X) -> % after the arrow
    Y = X + 1, % after an expression
    Z = foo(Y,    % after the first argument
            Y),   % after the call
    Z.   % after the last expression

foo(A, B) -> {A, B}. % after a one-line function
