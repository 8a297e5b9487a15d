%% Prints documents with erlfmt's own algebra, for `cargo xtask compare-algebra`.
%%
%% Input: one Erlang expression per line, `{Index, Width, Doc}` where `Doc` is
%% built with erlfmt_algebra calls. Output: each formatted document (spaces
%% before line breaks and at the end removed, as erlkit's printer does)
%% followed by a line `@@@@`.
%%
%% By hand: erlc algebra_oracle.erl && erl -noshell -pa ERLFMT_EBIN -pa . \
%%     -run algebra_oracle main docs.txt out.txt
-module(algebra_oracle).
-export([main/1]).

main([Input, Output]) ->
    {ok, Bin} = file:read_file(Input),
    Lines = [L || L <- string:split(binary_to_list(Bin), "\n", all), L =/= ""],
    Results = [format_line(L) || L <- Lines],
    ok = file:write_file(Output, Results),
    halt(0).

format_line(Line) ->
    {ok, Tokens, _} = erl_scan:string(Line),
    {ok, [Expr]} = erl_parse:parse_exprs(Tokens),
    {value, {_Index, Width, Doc}, _} = erl_eval:expr(Expr, []),
    Text = unicode:characters_to_list(erlfmt_algebra:format(Doc, Width)),
    Trimmed = string:trim(re:replace(Text, " +\n", "\n", [global, {return, list}]), trailing, " "),
    [unicode:characters_to_binary(Trimmed), <<"\n@@@@\n">>].
