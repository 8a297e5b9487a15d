-module(comments_end_of_file).
-export([f/0]).

f() -> ok.

%% A comment at the end of the file,
%% after two blank lines.
% no newline at end of file
