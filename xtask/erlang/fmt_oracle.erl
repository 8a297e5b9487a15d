%% OTP's side of `cargo xtask corpus fmt`: does a formatted file hold the same code as its original?
%%
%% Reads pairs of paths from standard input, one pair per line, the original
%% and the formatted file separated by a tab, and writes one JSON object per
%% pair and line to standard output, in input order.
%%
%% How a pair is compared:
%%   1. Both files are read with `epp_dodger:parse_file(File, [no_fail])`:
%%      macros are left unexpanded (`?LINE` stays `?LINE`), nothing is
%%      included. Every form (end-of-file markers left out) is reduced to a
%%      term that keeps what the code says and drops where it is:
%%        {Type, Value}            a leaf: atom, integer, string, variable,
%%                                 operator, ... and its value;
%%        {Type, [[Sub, ...], ...]} any other node: its erl_syntax type and
%%                                 its subtrees, group by group.
%%      This works alike on erl_parse tuples and on the erl_syntax records
%%      epp_dodger makes for macros and preprocessor directives; positions,
%%      annotations and comments are never looked at. One exception:
%%      erl_syntax does not take `-spec`, `-callback`, `-type` and `-opaque`
%%      apart but shows their erl_parse type trees as one literal term, lines
%%      included; those are compared as that term with every annotation set to
%%      0 by erl_parse:map_anno/2 (a macro inside stays a macro). The two lists
%%      of forms must be equal (=:=).
%%   2. When either file has forms epp_dodger gives up on (error markers other
%%      than the `-error(...)` / `-warning(...)` directives, or, with
%%      `no_fail`, top-level text forms), the whole files are compared as
%%      erl_scan tokens instead: category and value of each token, with
%%      locations, white space and comments dropped; a scan error counts as
%%      one token (its description, without its location) and scanning goes
%%      on after it.
%%
%% What counts as the same (both are semantic comparisons, not textual ones):
%% literals are compared by value, so `16#ff` and `255`, `$\n` and `$\12`,
%% `'ok'` and `ok`, `"\x41"` and `"A"` are alike, and so are `1.0e3` and
%% `1000.0`. In forms, adjacent strings are one string (`"a" "b"` and `"ab"`
%% are alike), parentheses leave no trace, and `[a | [b]]` is `[a, b]`. In
%% the token fallback, `"a" "b"` (two tokens) differs from `"ab"` (one), and
%% an added or removed parenthesis is a difference.
%%
%% Output, one line per pair:
%%   {"file":"o.erl","outcome":"same","forms":12}
%%   {"file":"o.erl","outcome":"differs","forms":12,"difference":{
%%       "index":3,"original_line":7,"formatted_line":8,
%%       "original":"f(A, B)","formatted":"f(B, A)"}}
%%   {"file":"o.erl","outcome":"fallback-same","tokens":840,
%%       "reason":"epp_dodger error forms: 2 in the original, 2 in the formatted file"}
%%   {"file":"o.erl","outcome":"fallback-differs","tokens":840,"reason":"...",
%%       "difference":{"index":17,...}}
%%   {"file":"o.erl","outcome":"error","error":"..."}   (a file could not be read)
%% "index" is 1-based: the form (for "differs") or token (for "fallback-differs")
%% where the two first part; "original"/"formatted" render the smallest
%% differing subtree (or the tokens from the first differing one) on each
%% side, on one line, shortened. All output is ASCII: every other character
%% is written as a \u escape.
%%
%% Run by hand:
%%   printf 'a.erl\tb.erl\n' | erl -noshell -eval '{ok,M,B}=compile:file(
%%     "xtask/erlang/fmt_oracle.erl",[binary,report]),
%%     {module,M}=code:load_binary(M,"fmt_oracle.erl",B), fmt_oracle:main(), halt().'
-module(fmt_oracle).
-export([main/0, compare/2]).

%% join/1 and string/1: JSON text.
-include("json_text.hrl").

%% How many characters of a rendered difference are kept.
-define(RENDER_LIMIT, 160).
%% A differing pair whose renderings are shorter than this together is shown with its parents.
-define(CONTEXT_BELOW, 40).
%% How many tokens from the first differing one are rendered.
-define(TOKEN_WINDOW, 8).

%% Reads pairs from stdin and prints a JSON line per pair, comparing in parallel.
main() ->
    ok = io:setopts(standard_io, [binary]),
    Pairs = read_pairs([]),
    Workers = erlang:system_info(schedulers_online),
    Results = pmap(fun pair_json/1, Pairs, Workers),
    lists:foreach(fun(Line) -> ok = io:put_chars(standard_io, [Line, $\n]) end, Results).

read_pairs(Acc) ->
    case io:get_line(standard_io, '') of
        eof -> lists:reverse(Acc);
        {error, Reason} -> erlang:error({stdin, Reason});
        Line ->
            case string:trim(Line, trailing, "\r\n") of
                <<>> -> read_pairs(Acc);
                Text ->
                    case binary:split(Text, <<"\t">>) of
                        [Original, Formatted] -> read_pairs([{Original, Formatted} | Acc]);
                        _ -> erlang:error({bad_pair_line, Text})
                    end
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

pair_json({Original, Formatted}) ->
    Fields = try compare(Original, Formatted)
             catch Class:Reason:Stack ->
                     [{<<"outcome">>, {string, "error"}},
                      {<<"error">>, {string, io_lib:format("~p:~p ~P",
                                                           [Class, Reason, Stack, 12])}}]
             end,
    object([{<<"file">>, {string, Original}} | Fields]).

%% ---- The comparison of one pair, as JSON-ready fields.

compare(Original, Formatted) ->
    case {read_forms(Original), read_forms(Formatted)} of
        {{error, Message}, _} ->
            error_fields(["original: ", Message]);
        {_, {error, Message}} ->
            error_fields(["formatted: ", Message]);
        {{ok, FormsA}, {ok, FormsB}} ->
            case {count_errors(FormsA), count_errors(FormsB)} of
                {0, 0} -> compare_forms(FormsA, FormsB);
                {ErrorsA, ErrorsB} ->
                    Reason = io_lib:format("epp_dodger error forms: ~w in the original, "
                                           "~w in the formatted file", [ErrorsA, ErrorsB]),
                    compare_tokens(Original, Formatted, Reason)
            end
    end.

error_fields(Message) ->
    [{<<"outcome">>, {string, "error"}}, {<<"error">>, {string, Message}}].

read_forms(Path) ->
    try epp_dodger:parse_file(Path, [no_fail]) of
        {ok, Forms} -> {ok, [F || F <- Forms, erl_syntax:type(F) =/= eof_marker]};
        {error, Info} -> {error, format_error(Info)}
    catch
        Class:Reason -> {error, io_lib:format("~p:~p", [Class, Reason])}
    end.

%% Forms epp_dodger gave up on: error markers other than the -error/-warning
%% directives (which epp_dodger returns as error markers too), and the text
%% forms `no_fail` leaves where a form does not parse.
count_errors(Forms) ->
    length([F || F <- Forms, is_error_form(F)]).

is_error_form(Form) ->
    case erl_syntax:type(Form) of
        error_marker ->
            case erl_syntax:error_marker_info(Form) of
                {_, epp_dodger, {Directive, Desc}}
                  when (Directive =:= error orelse Directive =:= warning), is_list(Desc) ->
                    false;
                _ ->
                    true
            end;
        text -> true;
        _ -> false
    end.

compare_forms(FormsA, FormsB) ->
    NormA = [normalise(F) || F <- FormsA],
    NormB = [normalise(F) || F <- FormsB],
    Count = [{<<"forms">>, length(FormsA)}],
    case NormA =:= NormB of
        true ->
            [{<<"outcome">>, {string, "same"}} | Count];
        false ->
            {Index, A, B} = first_difference(FormsA, NormA, FormsB, NormB, 1),
            [{<<"outcome">>, {string, "differs"}} | Count]
                ++ [{<<"difference">>, form_difference(Index, A, B)}]
    end.

%% The 1-based index of the first differing form and the two forms there
%% (`none` past the end of a list).
first_difference([A | As], [NA | NAs], [B | Bs], [NB | NBs], I) ->
    case NA =:= NB of
        true -> first_difference(As, NAs, Bs, NBs, I + 1);
        false -> {I, A, B}
    end;
first_difference([A | _], _, [], _, I) -> {I, A, none};
first_difference([], _, [B | _], _, I) -> {I, none, B};
first_difference([], _, [], _, I) -> {I, none, none}.

form_difference(Index, none, B) ->
    [{<<"index">>, Index},
     {<<"original_line">>, 0}, {<<"formatted_line">>, line_of(B, 0)},
     {<<"original">>, {string, "(no form: the original ends here)"}},
     {<<"formatted">>, {string, render(B)}}];
form_difference(Index, A, none) ->
    [{<<"index">>, Index},
     {<<"original_line">>, line_of(A, 0)}, {<<"formatted_line">>, 0},
     {<<"original">>, {string, render(A)}},
     {<<"formatted">>, {string, "(no form: the formatted file ends here)"}}];
form_difference(Index, A, B) ->
    {SubA, SubB, LineA, LineB} = smallest_difference(A, B, none, line_of(A, 0), line_of(B, 0)),
    [{<<"index">>, Index},
     {<<"original_line">>, LineA}, {<<"formatted_line">>, LineB},
     {<<"original">>, {string, render(SubA)}},
     {<<"formatted">>, {string, render(SubB)}}].

%% Descends while the two nodes have the same type and the same shape of
%% subtrees, into the first differing pair of subtrees, and returns the
%% deepest pair that differs (their parents when both are short, so that
%% `f(B, A)` is shown rather than `B`) and their lines (the nearest known
%% line above them for nodes without a position).
smallest_difference(A, B, Parents, LineA0, LineB0) ->
    LineA = line_of(A, LineA0),
    LineB = line_of(B, LineB0),
    %% The terms inside type attributes hold lines: the attribute is the smallest unit.
    GroupsA = case type_attribute(A) of false -> erl_syntax:subtrees(A); _ -> [] end,
    GroupsB = case type_attribute(B) of false -> erl_syntax:subtrees(B); _ -> [] end,
    SameShape = erl_syntax:type(A) =:= erl_syntax:type(B)
        andalso GroupsA =/= []
        andalso [length(G) || G <- GroupsA] =:= [length(G) || G <- GroupsB],
    Pairs = case SameShape of
                true -> [{X, Y} || {X, Y} <- lists:zip(lists:append(GroupsA),
                                                        lists:append(GroupsB)),
                                   normalise(X) =/= normalise(Y)];
                false -> []
            end,
    case {Pairs, Parents} of
        {[{X, Y} | _], _} ->
            smallest_difference(X, Y, {A, B, LineA, LineB}, LineA, LineB);
        {[], {_, _, _, _} = ParentPair} ->
            case string:length(render(A)) + string:length(render(B)) < ?CONTEXT_BELOW of
                true -> ParentPair;
                false -> {A, B, LineA, LineB}
            end;
        {[], none} ->
            {A, B, LineA, LineB}
    end.

line_of(Node, Default) ->
    case catch erl_anno:line(erl_syntax:get_pos(Node)) of
        L when is_integer(L), L > 0 -> L;
        _ -> Default
    end.

%% One line of Erlang text for a node, shortened.
render(Node) ->
    Text = try render_text(Node)
           catch _:_ -> io_lib:format("~tP", [normalise(Node), 20])
           end,
    shorten(string:join(string:lexemes(lists:flatten(Text), [$\s, $\t, $\n, $\r, "\r\n"]), " ")).

render_text(Node) ->
    case type_attribute(Node) of
        {Name, Data} ->
            %% erl_pp prints the type trees; a macro shows as an atom '?NAME'.
            ShowMacro = fun(M) -> list_to_atom(erl_prettypr:format(M)) end,
            erl_pp:form({attribute, line_of(Node, 1), Name, term_of(Data, ShowMacro)});
        false ->
            erl_prettypr:format(Node, [{paper, 10000}, {ribbon, 10000}])
    end.

shorten(Text) ->
    case string:length(Text) > ?RENDER_LIMIT of
        true -> string:slice(Text, 0, ?RENDER_LIMIT - 3) ++ "...";
        false -> Text
    end.

%% ---- What a form says, without where it is.

normalise(Node) ->
    case type_attribute(Node) of
        {Name, Data} ->
            {attribute, Name, without_annotations(Name, Data)};
        false ->
            Type = erl_syntax:type(Node),
            case erl_syntax:subtrees(Node) of
                [] -> {Type, leaf_value(Type, Node)};
                Groups -> {Type, [[normalise(S) || S <- G] || G <- Groups]}
            end
    end.

%% `-spec`, `-callback`, `-type` and `-opaque` hold erl_parse type trees,
%% which erl_syntax does not take apart: it presents them as one literal term,
%% annotations (lines) included. For these, {Name, Data} with Data the
%% attribute's syntax tree; false for any other node.
type_attribute(Node) ->
    case erl_syntax:type(Node) of
        attribute ->
            NameNode = erl_syntax:attribute_name(Node),
            case erl_syntax:type(NameNode) of
                atom ->
                    Name = erl_syntax:atom_value(NameNode),
                    case {lists:member(Name, [spec, callback, type, opaque]),
                          erl_syntax:attribute_arguments(Node)} of
                        {true, [Data]} -> {Name, Data};
                        _ -> false
                    end;
                _ -> false
            end;
        _ -> false
    end.

%% The attribute's term with every annotation set to 0 (erl_parse:map_anno
%% knows where they are); a macro inside stays a macro, as its normal form.
without_annotations(Name, Data) ->
    Term = term_of(Data, fun(Macro) -> {'$macro', 0, term_to_binary(normalise(Macro))} end),
    erl_parse:map_anno(fun(_) -> 0 end, {attribute, 0, Name, Term}).

%% The term a literal syntax tree stands for, with Macro(M) for each macro M in it.
term_of(Node, Macro) ->
    case erl_syntax:type(Node) of
        macro -> Macro(Node);
        tuple -> list_to_tuple([term_of(E, Macro) || E <- erl_syntax:tuple_elements(Node)]);
        list ->
            Prefix = [term_of(E, Macro) || E <- erl_syntax:list_prefix(Node)],
            case erl_syntax:list_suffix(Node) of
                none -> Prefix;
                Suffix -> Prefix ++ term_of(Suffix, Macro)
            end;
        _ -> erl_syntax:concrete(Node)
    end.

leaf_value(atom, N) -> erl_syntax:atom_value(N);
leaf_value(char, N) -> erl_syntax:char_value(N);
leaf_value(float, N) -> erl_syntax:float_value(N);
leaf_value(integer, N) -> erl_syntax:integer_value(N);
leaf_value(string, N) -> erl_syntax:string_value(N);
leaf_value(variable, N) -> erl_syntax:variable_name(N);
leaf_value(operator, N) -> erl_syntax:operator_name(N);
leaf_value(text, N) -> erl_syntax:text_string(N);
leaf_value(comment, N) -> erl_syntax:comment_text(N);
leaf_value(error_marker, N) -> without_location(erl_syntax:error_marker_info(N));
leaf_value(warning_marker, N) -> without_location(erl_syntax:warning_marker_info(N));
%% nil, underscore, fun_type, eof_marker, and `tuple()`/`map()` types: the type says it all.
leaf_value(_, _) -> none.

without_location({_Location, Module, Description}) -> {Module, Description};
without_location(Other) -> Other.

%% ---- The token fallback.

compare_tokens(Original, Formatted, Reason) ->
    case {read_tokens(Original), read_tokens(Formatted)} of
        {{error, Message}, _} -> error_fields(["original: ", Message]);
        {_, {error, Message}} -> error_fields(["formatted: ", Message]);
        {{ok, TokensA}, {ok, TokensB}} ->
            KeysA = [token_key(T) || T <- TokensA],
            KeysB = [token_key(T) || T <- TokensB],
            Fields = [{<<"tokens">>, length(TokensA)}, {<<"reason">>, {string, Reason}}],
            case KeysA =:= KeysB of
                true ->
                    [{<<"outcome">>, {string, "fallback-same"}} | Fields];
                false ->
                    Index = first_token_difference(KeysA, KeysB, 1),
                    RestA = lists:nthtail(min(Index - 1, length(TokensA)), TokensA),
                    RestB = lists:nthtail(min(Index - 1, length(TokensB)), TokensB),
                    [{<<"outcome">>, {string, "fallback-differs"}} | Fields]
                        ++ [{<<"difference">>,
                             [{<<"index">>, Index},
                              {<<"original_line">>, token_line(RestA)},
                              {<<"formatted_line">>, token_line(RestB)},
                              {<<"original">>, {string, render_tokens(RestA)}},
                              {<<"formatted">>, {string, render_tokens(RestB)}}]}]
            end
    end.

first_token_difference([K | As], [K | Bs], I) -> first_token_difference(As, Bs, I + 1);
first_token_difference(_, _, I) -> I.

%% A file's tokens (and scan errors, as {scan_error, Anno, Info} pseudo-tokens),
%% decoded the way epp decodes it: a `coding:` comment, else UTF-8, else Latin-1.
read_tokens(Path) ->
    case file:read_file(Path) of
        {ok, Bytes} -> {ok, scan_all(decode(Bytes), 1, [])};
        {error, Reason} -> {error, file:format_error(Reason)}
    end.

decode(Bytes) ->
    Encoding = case epp:read_encoding_from_binary(Bytes) of
                   none -> utf8;
                   E -> E
               end,
    case unicode:characters_to_list(Bytes, Encoding) of
        Chars when is_list(Chars) -> Chars;
        _ -> unicode:characters_to_list(Bytes, latin1)
    end.

%% Scans form by form, so that scanning goes on after an error.
scan_all(Chars, Line, Acc) ->
    case erl_scan:tokens([], Chars, Line) of
        {done, Result, Rest} -> scan_result(Result, Rest, Acc);
        {more, Continuation} ->
            {done, Result, _} = erl_scan:tokens(Continuation, eof, Line),
            scan_result(Result, eof, Acc)
    end.

scan_result({ok, Tokens, Line}, Rest, Acc) -> scan_more(Rest, Line, lists:reverse(Tokens, Acc));
scan_result({eof, _}, _, Acc) -> lists:reverse(Acc);
scan_result({error, {Location, Module, Description}, Line}, Rest, Acc) ->
    scan_more(Rest, Line, [{scan_error, erl_anno:new(Location), {Module, Description}} | Acc]).

scan_more(eof, _, Acc) -> lists:reverse(Acc);
scan_more(Rest, Line, Acc) -> scan_all(Rest, Line, Acc).

token_key({scan_error, _, Info}) -> {scan_error, Info};
token_key(Token) -> {erl_scan:category(Token), erl_scan:symbol(Token)}.

token_line([{scan_error, Anno, _} | _]) -> erl_anno:line(Anno);
token_line([Token | _]) -> erl_scan:line(Token);
token_line([]) -> 0.

render_tokens([]) -> "(end of file)";
render_tokens(Tokens) ->
    Window = lists:sublist(Tokens, ?TOKEN_WINDOW),
    Text = string:join([render_token(T) || T <- Window], " "),
    case length(Tokens) > ?TOKEN_WINDOW of
        true -> shorten(Text ++ " ...");
        false -> shorten(Text)
    end.

render_token({scan_error, _, {Module, Description}}) ->
    Message = case catch Module:format_error(Description) of
                  {'EXIT', _} -> io_lib:format("~tp", [Description]);
                  M -> M
              end,
    lists:flatten(io_lib:format("<scan error: ~ts>", [Message]));
render_token(Token) ->
    case erl_scan:category(Token) of
        atom -> io_lib:write_atom(erl_scan:symbol(Token));
        string -> io_lib:write_string(erl_scan:symbol(Token));
        char -> io_lib:write_char(erl_scan:symbol(Token));
        var -> atom_to_list(erl_scan:symbol(Token));
        integer -> integer_to_list(erl_scan:symbol(Token));
        float -> float_to_list(erl_scan:symbol(Token), [short]);
        dot -> ".";
        Category -> atom_to_list(Category)
    end.

%% ---- Error messages.

format_error({Location, Module, Description}) ->
    Text = case catch Module:format_error(Description) of
               {'EXIT', _} -> io_lib:format("~tp", [Description]);
               T -> T
           end,
    io_lib:format("~w: ~ts", [Location, Text]);
format_error(Other) ->
    io_lib:format("~tp", [Other]).

%% ---- A tiny JSON encoder (as in forms_oracle.erl): objects as proplists,
%% {string, Chars} for strings, integers, and lists of values. Output is ASCII.

object(Props) ->
    Fields = [[string(K), $:, value(V)] || {K, V} <- Props],
    iolist_to_binary([${, join(Fields), $}]).

value({string, S}) -> string(S);
value(I) when is_integer(I) -> integer_to_binary(I);
value([{_, _} | _] = Props) -> object(Props);
value(L) when is_list(L) -> [$[, join([value(X) || X <- L]), $]].
