%% The module's first comment.
-module(pragma_insert).
-export([f/0]).
f()->  [ a,b ,c ].
