%% erlfmt's side of `cargo xtask compare-erlfmt-nodes`: the nodes erlfmt's parser builds for each form.
%%
%% Input (standard input): the path of erlfmt's ebin directory on the first
%% line, then one file path per line. Output (standard output): for each file
%% a line `=== Path`, then one line per form: `Line:Col Dump`, where
%% `Line:Col` is where the form's first token starts and `Dump` is the form's
%% node as an s-expression, or `unsupported` when erlfmt cannot parse the
%% form (it would keep it as text). A scan error ends the file with a line
%% `!!! Reason`.
%%
%% The forms are split and parsed as `erlfmt:read_nodes/1` does (erlfmt_scan,
%% then erlfmt_parse:parse_node/1, retried without the `maybe` keywords), but
%% comments are not attached, so locations are the nodes' own.
%%
%% The dump (the same as crates/fmt/src/node/dump.rs prints): a node
%% `{Tag, Anno, Fields...}` is `(Tag L:C-L:C Flags Fields...)` with ` p` for
%% `parens`, ` m` for `macro_record` and ` d` for `dot`; atomic nodes print
%% their `text` in double quotes (escaping \, ", newline, carriage return and
%% tab); lists print as `[A B]` and atoms (operators, `empty`, `none`, ...)
%% as their names.
-module(erlfmt_nodes_oracle).
-export([main/0]).

main() ->
    [Ebin | Files] = read_lines(),
    true = code:add_patha(Ebin),
    ok = io:setopts(standard_io, [{encoding, unicode}]),
    lists:foreach(fun(File) -> io:put_chars(dump_file(File)) end, Files).

read_lines() ->
    read_lines([]).

read_lines(Acc) ->
    case io:get_line("") of
        eof ->
            lists:reverse(Acc);
        Line ->
            case string:trim(Line, trailing, "\r\n") of
                "" -> read_lines(Acc);
                Trimmed -> read_lines([Trimmed | Acc])
            end
    end.

dump_file(Path) ->
    Forms =
        case file:open(Path, [read, binary, {encoding, unicode}]) of
            {ok, File} ->
                try
                    forms(erlfmt_scan:io_node(File), [])
                catch
                    Class:Reason -> [io_lib:format("!!! ~p~n", [{Class, Reason}])]
                after
                    file:close(File)
                end;
            {error, Reason} ->
                [io_lib:format("!!! ~p~n", [Reason])]
        end,
    ["=== ", Path, "\n", Forms].

forms({ok, Tokens, _Comments, Cont}, Acc) ->
    forms(erlfmt_scan:continue(Cont), [form(Tokens) | Acc]);
forms({eof, _}, Acc) ->
    lists:reverse(Acc);
forms({error, {_Loc, Mod, Reason}, _}, Acc) ->
    lists:reverse(Acc, [io_lib:format("!!! ~ts~n", [Mod:format_error(Reason)])]);
forms(Other, Acc) ->
    lists:reverse(Acc, [io_lib:format("!!! ~p~n", [Other])]).

form([]) ->
    [];
form([{shebang, _, _}]) ->
    [];
form([First | _] = Tokens) ->
    {Line, Col} = erlfmt_scan:get_anno(location, First),
    Dump =
        case parse(Tokens) of
            {ok, Node} -> dump(Node);
            error -> "unsupported"
        end,
    [integer_to_list(Line), $:, integer_to_list(Col), $\s, Dump, $\n].

%% As erlfmt:parse/1.
parse(Tokens) ->
    case erlfmt_parse:parse_node(Tokens) of
        {ok, Node} ->
            {ok, Node};
        {error, _} ->
            case erlfmt_parse:parse_node(erlfmt_scan:downgrade_maybe(Tokens)) of
                {ok, Node} -> {ok, Node};
                {error, _} -> error
            end
    end.

-define(IS_ATOMIC(Tag),
    (Tag =:= atom orelse Tag =:= var orelse Tag =:= integer orelse Tag =:= float orelse
        Tag =:= char orelse Tag =:= string)
).

dump(List) when is_list(List) ->
    [$[, lists:join($\s, [dump(Element) || Element <- List]), $]];
dump(Atom) when is_atom(Atom) ->
    atom_to_list(Atom);
dump({Tag, Anno, Value}) when ?IS_ATOMIC(Tag), is_map(Anno) ->
    %% Atoms made of the `maybe` and `else` keywords (erlfmt_scan:downgrade_maybe/1) have no text.
    Text = maps:get(text, Anno, io_lib:format("~w", [Value])),
    [$(, atom_to_list(Tag), $\s, location(Anno), flags(Anno), $\s, quote(Text), $)];
dump(Node) when is_tuple(Node), tuple_size(Node) >= 2, is_map(element(2, Node)) ->
    [Tag, Anno | Fields] = tuple_to_list(Node),
    [
        $(,
        atom_to_list(Tag),
        $\s,
        location(Anno),
        flags(Anno),
        [[$\s, dump(Field)] || Field <- Fields],
        $)
    ];
dump(Other) ->
    io_lib:format("~w", [Other]).

location(#{location := {Line, Col}, end_location := {EndLine, EndCol}}) ->
    io_lib:format("~b:~b-~b:~b", [Line, Col, EndLine, EndCol]).

flags(Anno) ->
    [
        Letter
     || {Key, Letter} <- [{parens, " p"}, {macro_record, " m"}, {dot, " d"}],
        maps:get(Key, Anno, false) =:= true
    ].

quote(Text) ->
    [$", [escape(C) || C <- Text], $"].

escape($\\) -> "\\\\";
escape($") -> "\\\"";
escape($\n) -> "\\n";
escape($\r) -> "\\r";
escape($\t) -> "\\t";
escape(C) -> C.
