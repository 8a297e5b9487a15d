%% The judge of `cargo xtask corpus mutants`: compiles files as erlc does,
%% with `compile:file(File, Options ++ [strong_validation, return_errors,
%% return_warnings])` (every pass up to the kernel's, no code written), and
%% prints every error and warning it returns.
%%
%% Reads batches of jobs from standard input, one job a line, a batch ended by
%% a line `go`; after each batch it prints its answers and a line
%% `batch-done`, and waits for the next batch until the end of its input.
%% A job is
%%
%%   ID<TAB>FILE[<TAB>OPTION]...
%%
%% where OPTION is i=DIR ({i, DIR}), d=NAME ({d, NAME}), d=NAME=TERM
%% ({d, NAME, TERM}), o=ATOM (an option such as warn_export_vars) or x
%% (judge the file's calls to other modules with xref too). The answers to a
%% job, in order, are
%%
%%   xref<TAB>ID<TAB>undefined_module|undefined_function<TAB>M:F/A   (with x)
%%   finding<TAB>ID<TAB>error|warning<TAB>FILE<TAB>LINE<TAB>MODULE<TAB>TAG<TAB>MESSAGE
%%   done<TAB>ID<TAB>ok|error|crash[<TAB>REASON]
%%
%% where MODULE is the module that found it (erl_lint, epp, erl_parse, ...),
%% TAG the first element of its descriptor (or the descriptor when it is an
%% atom, `message` when it is text), LINE 0 when it has no location, and
%% MESSAGE what MODULE:format_error/1 says, on one line. Jobs run in parallel;
%% answers come in the order of the jobs.
-module(mutants_judge).
-export([main/0]).

main() ->
    ok = io:setopts(standard_io, [binary, {encoding, unicode}]),
    batches().

batches() ->
    case read_batch([]) of
        eof -> ok;
        {Jobs, Last} ->
            Workers = erlang:system_info(schedulers_online),
            Answers = pmap(fun job/1, Jobs, Workers),
            lists:foreach(fun(Answer) -> ok = io:put_chars(standard_io, Answer) end, Answers),
            ok = io:put_chars(standard_io, <<"batch-done\n">>),
            case Last of
                true -> ok;
                false -> batches()
            end
    end.

%% The jobs up to a line `go` ({Jobs, false}) or the end of the input
%% ({Jobs, true}, or eof when there are none).
read_batch(Acc) ->
    case io:get_line(standard_io, '') of
        eof when Acc =:= [] -> eof;
        eof -> {lists:reverse(Acc), true};
        {error, Reason} -> erlang:error({stdin, Reason});
        Line ->
            case unicode:characters_to_list(string:trim(Line, trailing, "\r\n")) of
                "go" -> {lists:reverse(Acc), false};
                "" -> read_batch(Acc);
                Text -> read_batch([Text | Acc])
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

%% Deals items round-robin into N lists.
deal(Items, N) ->
    Tagged = lists:zip([I rem N || I <- lists:seq(1, length(Items))], Items),
    [[X || {T, X} <- Tagged, T =:= K] || K <- lists:seq(0, N - 1)].

%% ---- One job.

job(Line) ->
    [Id, File | Given] = string:split(Line, "\t", all),
    %% What the compiler prints (modules with `-compile(report)`) goes nowhere.
    Sink = spawn_link(fun discard_io/0),
    Leader = group_leader(),
    group_leader(Sink, self()),
    try
        Xref = lists:member("x", Given),
        Options = [option(G) || G <- Given, G =/= "x"],
        Result = compile:file(File, Options ++ [strong_validation, return_errors,
                                                return_warnings]),
        case Xref of
            true -> xref_lines(Id, File, Options, Result) ++ answer(Id, Result);
            false -> answer(Id, Result)
        end
    catch Class:Reason:Stack ->
            [done_line(Id, "crash", io_lib:format("~tp", [{Class, Reason, Stack}]))]
    after
        group_leader(Leader, self()),
        unlink(Sink),
        exit(Sink, kill)
    end.

%% With the option x, when the file compiles: its calls to undefined
%% functions by xref:m/1 (the code path, with OTP, as its library), each
%% a line xref<TAB>ID<TAB>undefined_module|undefined_function<TAB>M:F/A;
%% undefined_module when M cannot be loaded.
xref_lines(Id, File, Options, {ok, _, _}) ->
    Dir = filename:join("xref", Id),
    ok = filelib:ensure_dir(filename:join(Dir, "x")),
    {ok, Module, _} = compile:file(File, Options ++ [debug_info, {outdir, Dir},
                                                     return_errors, return_warnings]),
    Beam = filename:join(Dir, atom_to_list(Module) ++ ".beam"),
    Answer = xref:m(Beam),
    _ = file:delete(Beam),
    case Answer of
        Results when is_list(Results) ->
            {undefined, Undefined} = lists:keyfind(undefined, 1, Results),
            Callees = lists:usort([Callee || {_Caller, Callee} <- Undefined]),
            [fields(["xref", Id, undefined_kind(M),
                     io_lib:format("~tw:~tw/~w", [M, F, A])]) || {M, F, A} <- Callees];
        Error ->
            [fields(["xref", Id, "error", one_line(io_lib:format("~tp", [Error]))])]
    end;
xref_lines(_Id, _File, _Options, _Result) ->
    [].

undefined_kind(Module) ->
    case code:which(Module) of
        non_existing -> "undefined_module";
        _ -> "undefined_function"
    end.

%% An I/O server that answers every request with ok and keeps nothing.
discard_io() ->
    receive
        {io_request, From, ReplyAs, _Request} ->
            From ! {io_reply, ReplyAs, ok},
            discard_io();
        _ -> discard_io()
    end.

option("i=" ++ Dir) -> {i, Dir};
option("o=" ++ Name) -> list_to_atom(Name);
option("d=" ++ Def) ->
    case string:split(Def, "=") of
        [Name] -> {d, list_to_atom(Name)};
        [Name, Text] ->
            {ok, Tokens, End} = erl_scan:string(Text),
            {ok, Term} = erl_parse:parse_term(Tokens ++ [{dot, End}]),
            {d, list_to_atom(Name), Term}
    end;
option(Other) -> erlang:error({bad_option, Other}).

answer(Id, {ok, _Module, Warnings}) ->
    findings(Id, warning, Warnings) ++ [done_line(Id, "ok", none)];
answer(Id, {ok, _Module, _Binary, Warnings}) ->
    findings(Id, warning, Warnings) ++ [done_line(Id, "ok", none)];
answer(Id, {error, Errors, Warnings}) ->
    findings(Id, error, Errors) ++ findings(Id, warning, Warnings)
        ++ [done_line(Id, "error", none)];
answer(Id, Other) ->
    [done_line(Id, "crash", io_lib:format("compile:file/2 returned ~tp", [Other]))].

findings(Id, Severity, PerFile) ->
    [finding_line(Id, Severity, File, Info) || {File, Infos} <- PerFile, Info <- Infos].

finding_line(Id, Severity, File, {Location, Module, Descriptor}) ->
    Message = case catch Module:format_error(Descriptor) of
                  {'EXIT', _} -> io_lib:format("~tp", [Descriptor]);
                  Text -> Text
              end,
    fields(["finding", Id, atom_to_list(Severity), File, integer_to_list(line(Location)),
            atom_to_list(Module), tag(Descriptor), one_line(Message)]);
finding_line(Id, Severity, File, Other) ->
    fields(["finding", Id, atom_to_list(Severity), File, "0", "unknown", "unknown",
            one_line(io_lib:format("~tp", [Other]))]).

done_line(Id, Status, none) -> fields(["done", Id, Status]);
done_line(Id, Status, Reason) -> fields(["done", Id, Status, one_line(Reason)]).

fields(Fields) ->
    unicode:characters_to_binary([lists:join($\t, Fields), $\n]).

line(Line) when is_integer(Line) -> Line;
line({Line, _Column}) when is_integer(Line) -> Line;
line(_) -> 0.

tag(Descriptor) when is_atom(Descriptor) -> atom_to_list(Descriptor);
tag(Descriptor) when is_tuple(Descriptor), is_atom(element(1, Descriptor)) ->
    atom_to_list(element(1, Descriptor));
tag(_) -> "message".

%% Text on one line, without tabs.
one_line(Text) ->
    Flat = case unicode:characters_to_list(Text) of
               L when is_list(L) -> L;
               _ -> lists:flatten(io_lib:format("~tp", [Text]))
           end,
    [case C of $\n -> $\s; $\t -> $\s; $\r -> $\s; _ -> C end || C <- Flat].
