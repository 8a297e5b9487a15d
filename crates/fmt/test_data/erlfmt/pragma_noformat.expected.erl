%%% % @noformat
-module(pragma_noformat).
-export([f/0]).
f()->  [ a,b ,c ].
