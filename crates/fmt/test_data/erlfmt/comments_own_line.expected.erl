%% Module comment before the module attribute.
-module(comments_own_line).
-export([f/1]).

%% Function comment.
%% Second line.
f(X) ->
    % Comment before the first expression.
    Y = X + 1,
    % Badly indented comment.
    Z = Y * 2,
    % Comment before the last expression.
    Z.
% Comment after the last expression, still in the body.

%% Comment between forms.
