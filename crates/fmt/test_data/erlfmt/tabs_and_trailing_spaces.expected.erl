-module(tabs_and_trailing_spaces).
-export([f/1]).

f(X) ->
    Y = X,
    {Y, X}.
