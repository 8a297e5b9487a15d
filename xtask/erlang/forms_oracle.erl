%% OTP's side of `cargo xtask corpus parse`: the forms `epp_dodger` finds in each file, as JSON.
%%
%% Reads file paths from standard input, one per line, parses each with
%% `epp_dodger:parse_file(File, [no_fail])` and writes one JSON object per
%% file and line to standard output, in input order:
%%
%%   {"file":"a.erl","forms":[{"kind":"attribute","name":"module","line":1},
%%                            {"kind":"function","name":"f","arity":2,"line":3},
%%                            {"kind":"error","line":9,"message":"..."}]}
%%   {"file":"b.erl","error":"..."}            (the file could not be read)
%%
%% Why `no_fail`: on OTP 25's sources epp_dodger gives up on exactly the same
%% forms with and without it, but with it a form it gives up on comes back as a
%% text node positioned at the form's first token, where an error marker gives
%% the line of the offending token (sometimes 0). The start line is what lining
%% the forms up with erlkit's needs.
%%
%% Form kinds:
%%   function   name (text of the atom, or "?M" for a macro name) and arity;
%%   attribute  name: `module`, `define`, `if`, `else`, `endif`, ...
%%              (epp_dodger names every preprocessor directive after its
%%              keyword; `-error` and `-warning` come back from epp_dodger as
%%              error markers and are reported here as attributes);
%%   error      a form epp_dodger gave up on: an error marker (its line is
%%              where the error is, often the line after the form) or, with
%%              `no_fail`, an unparsed text form (its line is the form's first);
%%   warning    a warning marker;
%%   other      anything else, with its erl_syntax type as name.
%% End-of-file markers are left out. All output is ASCII: every other
%% character is written as a \u escape.
%%
%% Run by hand:
%%   erl -noshell -eval '{ok,M,B}=compile:file("xtask/erlang/forms_oracle.erl",[binary,report]),
%%     {module,M}=code:load_binary(M,"forms_oracle.erl",B), forms_oracle:main(), halt().' < files.txt
-module(forms_oracle).
-export([main/0, file_forms/1]).

%% join/1 and string/1: JSON text.
-include("json_text.hrl").

%% Reads paths from stdin and prints a JSON line per file, parsing in parallel.
main() ->
    ok = io:setopts(standard_io, [binary]),
    Files = read_lines([]),
    Workers = erlang:system_info(schedulers_online),
    Results = pmap(fun file_json/1, Files, Workers),
    lists:foreach(fun(Line) -> ok = io:put_chars(standard_io, [Line, $\n]) end, Results).

read_lines(Acc) ->
    case io:get_line(standard_io, '') of
        eof -> lists:reverse(Acc);
        {error, Reason} -> erlang:error({stdin, Reason});
        Line ->
            case string:trim(Line, trailing, "\r\n") of
                <<>> -> read_lines(Acc);
                Path -> read_lines([Path | Acc])
            end
    end.

%% Applies F to every element with at most N processes at a time; keeps the order.
pmap(F, Items, N) ->
    Parent = self(),
    Indexed = lists:zip(lists:seq(1, length(Items)), Items),
    Chunks = deal(Indexed, N),
    Pids = [spawn_link(fun() ->
                               Parent ! {self(), [{I, F(X)} || {I, X} <- Chunk]}
                       end) || Chunk <- Chunks],
    Done = lists:append([receive {Pid, R} -> R end || Pid <- Pids]),
    [R || {_, R} <- lists:keysort(1, Done)].

%% Deals items round-robin into N lists, so big neighbouring files spread out.
deal(Items, N) ->
    Tagged = lists:zip([I rem N || I <- lists:seq(1, length(Items))], Items),
    [[X || {T, X} <- Tagged, T =:= K] || K <- lists:seq(0, N - 1)].

file_json(Path) ->
    Fields = case file_forms(Path) of
                 {ok, Forms} -> [{<<"forms">>, Forms}];
                 {error, Message} -> [{<<"error">>, {string, Message}}]
             end,
    object([{<<"file">>, {string, Path}} | Fields]).

%% The forms epp_dodger finds in one file, as JSON-ready terms.
file_forms(Path) ->
    try epp_dodger:parse_file(Path, [no_fail]) of
        {ok, Forms} -> {ok, [describe(F) || F <- Forms, erl_syntax:type(F) =/= eof_marker]};
        {error, Info} -> {error, format_error(Info)}
    catch
        Class:Reason -> {error, io_lib:format("~p:~p", [Class, Reason])}
    end.

describe(Form) ->
    Line = line(erl_syntax:get_pos(Form)),
    Fields = case erl_syntax:type(Form) of
                 function ->
                     [{<<"kind">>, {string, "function"}},
                      {<<"name">>, {string, name_text(erl_syntax:function_name(Form))}},
                      {<<"arity">>, erl_syntax:function_arity(Form)}];
                 attribute ->
                     [{<<"kind">>, {string, "attribute"}},
                      {<<"name">>, {string, name_text(erl_syntax:attribute_name(Form))}}];
                 error_marker ->
                     case erl_syntax:error_marker_info(Form) of
                         {Loc, epp_dodger, {Directive, Desc}}
                           when (Directive =:= error orelse Directive =:= warning),
                                is_list(Desc) ->
                             [{<<"kind">>, {string, "attribute"}},
                              {<<"name">>, {string, atom_to_list(Directive)}},
                              {<<"line">>, line(Loc)}];
                         Info ->
                             {Loc, _, _} = normalise_info(Info),
                             [{<<"kind">>, {string, "error"}},
                              {<<"line">>, line(Loc)},
                              {<<"message">>, {string, format_error(Info)}}]
                     end;
                 warning_marker ->
                     Info = erl_syntax:warning_marker_info(Form),
                     [{<<"kind">>, {string, "warning"}},
                      {<<"message">>, {string, format_error(Info)}}];
                 text ->
                     [{<<"kind">>, {string, "error"}},
                      {<<"message">>, {string, "unparsed form (no_fail)"}}];
                 Other ->
                     [{<<"kind">>, {string, "other"}},
                      {<<"name">>, {string, atom_to_list(Other)}}]
             end,
    case lists:keymember(<<"line">>, 1, Fields) of
        true -> Fields;
        false -> Fields ++ [{<<"line">>, Line}]
    end.

%% The text of a function or attribute name: an atom's name, `?M` for a macro.
name_text(Node) ->
    case erl_syntax:type(Node) of
        atom -> erl_syntax:atom_name(Node);
        variable -> erl_syntax:variable_literal(Node);
        macro -> [$? | name_text(erl_syntax:macro_name(Node))];
        Other -> "<" ++ atom_to_list(Other) ++ ">"
    end.

line(Pos) when is_integer(Pos) -> Pos;
line({Line, _Col}) when is_integer(Line) -> Line;
line(Pos) ->
    case catch erl_anno:line(Pos) of
        L when is_integer(L) -> L;
        _ -> 0
    end.

normalise_info({Loc, Mod, Desc}) -> {Loc, Mod, Desc};
normalise_info(Other) -> {0, unknown, Other}.

format_error(Info) ->
    case normalise_info(Info) of
        {Loc, Mod, Desc} ->
            Text = case catch Mod:format_error(Desc) of
                       {'EXIT', _} -> io_lib:format("~tp", [Desc]);
                       T -> T
                   end,
            io_lib:format("~w: ~ts", [line(Loc), Text])
    end.

%% ---- A tiny JSON encoder: objects as proplists, {string, Chars} for strings,
%% integers, and lists of values. Output is ASCII.

object(Props) ->
    Fields = [[string(K), $:, value(V)] || {K, V} <- Props],
    iolist_to_binary([${, join(Fields), $}]).

value({string, S}) -> string(S);
value(I) when is_integer(I) -> integer_to_binary(I);
value(true) -> <<"true">>;
value(false) -> <<"false">>;
value(null) -> <<"null">>;
value(L) when is_list(L) ->
    [$[, join([value_or_object(X) || X <- L]), $]].

value_or_object([{_, _} | _] = Props) -> object(Props);
value_or_object(V) -> value(V).
