-module(function_short_bodies).
-export([a/0, b/1, c/1, d/2, e/0]).

%% A body on the same line as the head stays there when it fits.
a() -> ok.

%% A newline after the arrow keeps the body on its own line.
b(X) ->
    X.

%% Spacing is normalised, the layout choice is not.
c( X )->X+1 .

%% A body that does not fit on the head's line moves below it.
d(FirstArgumentWithLongName, SecondArgumentWithLongName) -> {FirstArgumentWithLongName, SecondArgumentWithLongName}.

e()
  ->
  ok.
