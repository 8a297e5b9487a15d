-module(crlf_line_endings).
-export([f/0]).

% A comment.
f()->
    [a,
     b].
