%% The module's first comment.
%% % @format
-module(pragma_insert).
-export([f/0]).
f() -> [a, b, c].
