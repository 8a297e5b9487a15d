-module(pragma_require_absent).
-export([f/0]).
f()->  [ a,b ,c ].
