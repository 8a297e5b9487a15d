-module(strings).
-export([f/0, g/0, h/0]).

f() -> "adjacent" "strings"   "stay".

g() ->
    Message = "erlfmt is a code formatter for Erlang.

Arguments:

  files -- files to format
...",
    Message.

h() ->
    Short = "short",
    Long = "this is a very long string that goes past the print width of one hundred columns on its own",
    Concat = "first part of a long concatenation that " "should break somewhere " "when it gets too long for a line",
    Escapes = "tab\there\nnewline \"quoted\" \\ backslash \x{1F600}",
    {Short, Long, Concat, Escapes}.
