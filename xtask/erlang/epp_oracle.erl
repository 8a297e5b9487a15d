%% OTP's side of the preprocessor/HIR fidelity check: what `epp:parse_file/2`
%% makes of each module, compiled with the options it was really built with.
%%
%% Reads lines from standard input, one file per line, and writes one JSON
%% object per file and line to standard output, in input order. A line is
%%
%%   PATH                                options from the module's installed .beam
%%   PATH<TAB>given[<TAB>OPTION]...      options given on the line (tests, files
%%                                       without a beam), where OPTION is
%%                                       i=DIR, d=NAME or d=NAME=TERM
%%
%% From the beam: the beam is `ebin/MOD.beam` of the nearest directory above the
%% file that has an `ebin/` (OTP's `lib/APP-VSN/`); a file with none, or whose
%% beam was compiled from another source, is skipped with a reason. Its
%% `compile_info` options give the include path (`{i, Dir}`: Debian's
%% build-tree paths such as `/build/.../lib/ssl/src/../include` mapped onto the
%% installed `<root>/lib/ssl-VSN/include`; `erts/...` onto `<root>/erts-VSN/...`,
%% `<root>/lib/erts-VSN/...` or `<root>/usr/...`; dirs that do not exist are
%% dropped and listed) and the predefined macros (`{d, M}` is `M` = true,
%% `{d, M, V}`). Parse transforms are not run, only listed. Like `compile`'s,
%% the include path is the file's directory, the build's working directory
%% (compile's "."; see build_cwd/3), then the `{i, Dir}` options.
%%
%% Given options are used as they are: the include path is the file's
%% directory, then the given dirs (a relative one is relative to erl's working
%% directory, as for erlc's -I).
%%
%% Output, per file (names of atoms as their text, unquoted; lists sorted and
%% without duplicates unless said otherwise):
%%
%%   file          the path as given
%%   options_from  "beam" or "given"; null when skipped
%%   beam          the .beam the options came from, or null
%%   skipped       why the file was not preprocessed, or null
%%   module        the -module name, or null
%%   includes      the include path passed to epp, in order (the file's
%%                 directory first)
%%   dropped_includes  [{"option": DIR, "mapped": DIR | null}] for beam `{i, DIR}`
%%                 options that map to no existing directory (mapped: null when
%%                 there is no mapping at all)
%%   macros        [{"name": NAME, "value": TEXT}] in option order, TEXT the
%%                 value as an Erlang term (`~0tp`), "true" for `{d, M}`
%%   parse_transforms  the parse transforms the module was compiled with (not run)
%%   functions     "name/arity" of every function definition
%%   exports       "name/arity" from every -export
%%   records       "name{field1,field2}" (fields in declaration order)
%%   types         "name/arity" of every -type and -opaque
%%   specs         "name/arity" for -spec f/a, "mod:name/arity" for -spec m:f/a
%%   remote_calls  "m:f/a" for every call m:f(...) with literal atoms, anywhere
%%   remote_funs   "m:f/a" for every `fun m:f/a` with literal atoms and arity
%%   errors        epp's error and warning forms in epp's order (not sorted), as
%%                 "LINE: error: TEXT" or "LINE: warning: TEXT", prefixed with
%%                 "FILE:" when the form comes from another file (an include or
%%                 a -file attribute)
%%
%% All output is ASCII: every other character is written as a \u escape.
%%
%% Run by hand:
%%   erl -noshell -eval '{ok,M,B}=compile:file("xtask/erlang/epp_oracle.erl",[binary,report]),
%%     {module,M}=code:load_binary(M,"epp_oracle.erl",B), epp_oracle:main(), halt().' < files.txt
-module(epp_oracle).
-export([main/0, file_json/1, epp_options/1]).

%% join/1 and string/1: JSON text.
-include("json_text.hrl").

%% Reads the input lines and prints a JSON line per file, working in parallel.
main() ->
    %% unicode: the input is UTF-8 (in latin1 mode the binaries come back
    %% encoded twice); the output is ASCII either way.
    ok = io:setopts(standard_io, [binary, {encoding, unicode}]),
    Lines = read_lines([]),
    Workers = erlang:system_info(schedulers_online),
    Results = pmap(fun file_json/1, Lines, Workers),
    lists:foreach(fun(Line) -> ok = io:put_chars(standard_io, [Line, $\n]) end, Results).

read_lines(Acc) ->
    case io:get_line(standard_io, '') of
        eof -> lists:reverse(Acc);
        {error, Reason} -> erlang:error({stdin, Reason});
        Line ->
            case string:trim(Line, trailing, "\r\n") of
                <<>> -> read_lines(Acc);
                Text -> read_lines([unicode:characters_to_list(Text) | Acc])
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

%% ---- One input line to one JSON line.

file_json(Line) ->
    [File | Given] = string:split(Line, "\t", all),
    Fields = try file_fields(File, Given)
             catch Class:Reason:Stack ->
                     skipped(io_lib:format("the helper crashed: ~tp",
                                           [{Class, Reason, Stack}]))
             end,
    object([{<<"file">>, {string, File}} | Fields]).

file_fields(File, []) ->
    case beam_options(File) of
        {ok, Beam, Opts, Source} ->
            Cwd = build_cwd(File, Source, Opts),
            preprocess(File, Cwd, <<"beam">>, {string, Beam}, Opts);
        {skip, Reason} -> skipped(Reason)
    end;
file_fields(File, ["given" | Given]) ->
    preprocess(File, given, <<"given">>, null, [given_option(G) || G <- Given]);
file_fields(_File, [Other | _]) ->
    skipped(io_lib:format("unknown option mode ~tp (expected \"given\")", [Other])).

skipped(Reason) ->
    [{<<"options_from">>, null}, {<<"beam">>, null},
     {<<"skipped">>, {string, Reason}}, {<<"module">>, null}].

%% An option given on the input line, as a compile option.
given_option("i=" ++ Dir) -> {i, Dir};
given_option("d=" ++ Def) ->
    case string:split(Def, "=") of
        [Name] -> {d, list_to_atom(Name)};
        [Name, Text] ->
            {ok, Tokens, End} = erl_scan:string(Text),
            {ok, Term} = erl_parse:parse_term(Tokens ++ [{dot, End}]),
            {d, list_to_atom(Name), Term}
    end;
given_option(Other) -> erlang:error({bad_given_option, Other}).

%% ---- The options a module was compiled with, from its installed beam.

beam_options(File) ->
    Mod = filename:rootname(filename:basename(File)),
    case app_dir(filename:dirname(filename:absname(File))) of
        none -> {skip, "no ebin/ directory above the file"};
        AppDir ->
            Beam = filename:join([AppDir, "ebin", Mod ++ ".beam"]),
            case filelib:is_regular(Beam) of
                false -> {skip, "no " ++ Mod ++ ".beam in " ++ AppDir ++ "/ebin"};
                true -> beam_compile_info(File, Beam)
            end
    end.

%% The nearest directory at or above Dir with an ebin/ subdirectory, or none.
app_dir(Dir) ->
    case filelib:is_dir(filename:join(Dir, "ebin")) of
        true -> Dir;
        false ->
            case filename:dirname(Dir) of
                Dir -> none;
                Parent -> app_dir(Parent)
            end
    end.

beam_compile_info(File, Beam) ->
    case beam_lib:chunks(Beam, [compile_info]) of
        {ok, {_, [{compile_info, Info}]}} ->
            Opts = proplists:get_value(options, Info, []),
            Source = proplists:get_value(source, Info),
            case same_source(File, Source) of
                true -> {ok, Beam, Opts, Source};
                {false, Source} ->
                    {skip, io_lib:format("~ts was compiled from another source: ~ts",
                                         [Beam, Source])}
            end;
        {error, beam_lib, Reason} ->
            {skip, io_lib:format("cannot read compile_info of ~ts: ~tp", [Beam, Reason])}
    end.

%% Whether the beam's recorded source is File: the same file name, and the
%% same installed file when the recorded build path maps onto one.
same_source(_File, undefined) -> true;
same_source(File, Source) ->
    SameName = filename:basename(Source) =:= filename:basename(File),
    Mapped = case map_dir(Source) of
                 none -> none;
                 Path -> case filelib:is_regular(Path) of
                             true -> Path;
                             false -> none
                         end
             end,
    case SameName andalso (Mapped =:= none orelse
                           Mapped =:= normalise(filename:absname(File))) of
        true -> true;
        false -> {false, Source}
    end.

%% ---- Preprocessing and the facts read off the forms.

%% The build's working directory, installed: `compile` puts "." on the include
%% path, right after the file's directory. `erlc` makes a relative input file or
%% -I directory absolute against it, so the part of such a path before its first
%% `.` or `..` is the working directory (the build of wx/src/gen/*.erl ran in
%% wx/src, of public_key's generated modules in public_key/asn1). Without such
%% a path, the file's own directory (the usual case in OTP: a Makefile per
%% source directory).
build_cwd(File, Source, Opts) ->
    Paths = case Source of
                undefined -> [];
                _ -> [Source]
            end ++ [D || {i, D} <- Opts],
    Cwds = [map_dir(C) || P <- Paths, (C = cwd_prefix(P)) =/= none],
    case [C || C <- Cwds, C =/= none, filelib:is_dir(C)] of
        [Cwd | _] -> Cwd;
        [] -> filename:dirname(File)
    end.

cwd_prefix(Path) ->
    case filename:pathtype(Path) of
        absolute -> cwd_prefix(filename:split(Path), []);
        _ -> none
    end.

cwd_prefix([Dots | _], Acc) when Dots =:= "."; Dots =:= ".." ->
    filename:join(lists:reverse(Acc));
cwd_prefix([Part | Parts], Acc) -> cwd_prefix(Parts, [Part | Acc]);
cwd_prefix([], _) -> none.

preprocess(File, Cwd, From, Beam, Opts) ->
    {Includes, Dropped, Macros} = epp_input(File, Cwd, Opts),
    Transforms = [io_lib:format("~0tp", [T]) || {parse_transform, T} <- Opts],
    Switches = [atom_to_list(O) || O <- Opts, is_atom(O),
                                   lists:prefix("warn_", atom_to_list(O))
                                       orelse lists:prefix("nowarn_", atom_to_list(O))],
    Common = [{<<"options_from">>, {string, From}},
              {<<"beam">>, Beam},
              {<<"skipped">>, null}],
    Options = [{<<"includes">>, strings(Includes)},
               {<<"dropped_includes">>,
                [{object, [{<<"option">>, {string, O}},
                           {<<"mapped">>, case M of none -> null; _ -> {string, M} end}]}
                 || {O, M} <- Dropped]},
               {<<"macros">>,
                [{object, [{<<"name">>, {string, atom_to_list(N)}},
                           {<<"value">>, {string, io_lib:format("~0tp", [V])}}]}
                 || {N, V} <- Macros]},
               {<<"parse_transforms">>, strings(Transforms)},
               {<<"warning_switches">>, strings(Switches)}],
    case epp:parse_file(File, [{includes, Includes}, {macros, epp_macros(Macros)}]) of
        {ok, Forms} ->
            Common ++ [{<<"module">>, module(Forms)} | Options] ++ facts(File, Forms);
        {error, Reason} ->
            Common ++ [{<<"module">>, null} | Options]
                ++ [{<<"errors">>,
                     strings([io_lib:format("0: error: cannot open the file: ~tp",
                                            [Reason])])}]
    end.

%% The include path epp is given for File, the `{i, Dir}` options dropped from
%% it ({Option, Mapped | none}), and the predefined macros ({Name, Value}, in
%% option order; `true` for `{d, Name}`).
epp_input(File, Cwd, Opts) ->
    Dir = filename:dirname(File),
    Dirs = [D || {i, D} <- Opts],
    {Includes, Dropped} =
        case Cwd of
            given -> {dedup([Dir | Dirs]), []};
            _ ->
                {Mapped, Dropped0} = include_dirs(Cwd, Dirs),
                {dedup([Dir, Cwd | Mapped]), Dropped0}
        end,
    Macros = lists:flatmap(fun({d, M}) -> [{M, true}];
                              ({d, M, V}) -> [{M, V}];
                              (_) -> []
                           end, Opts),
    {Includes, Dropped, Macros}.

epp_macros(Macros) ->
    [case V of true -> N; _ -> {N, V} end || {N, V} <- Macros].

%% The options `epp:parse_file/2` is given for File from its installed beam, as
%% main/0 gives them: {ok, [{includes, Dirs}, {macros, Macros}]}, or
%% {skip, Reason} without a beam (for `cargo xtask bench analyze`).
epp_options(File) ->
    case beam_options(File) of
        {ok, _Beam, Opts, Source} ->
            {Includes, _, Macros} = epp_input(File, build_cwd(File, Source, Opts), Opts),
            {ok, [{includes, Includes}, {macros, epp_macros(Macros)}]};
        {skip, _} = Skip -> Skip
    end.

module(Forms) ->
    case [M || {attribute, _, module, M} <- Forms] of
        [M | _] when is_atom(M) -> {string, atom_to_list(M)};
        [{M, _} | _] when is_atom(M) -> {string, atom_to_list(M)};
        _ -> null
    end.

facts(File, Forms) ->
    Functions = [na(N, A) || {function, _, N, A, _} <- Forms],
    Exports = [na(N, A) || {attribute, _, export, Fs} <- Forms, {N, A} <- Fs],
    Records = [record_text(N, Fields) || {attribute, _, record, {N, Fields}} <- Forms],
    Types = [na(N, length(Args)) || {attribute, _, Kind, {N, _, Args}} <- Forms,
                                    Kind =:= type orelse Kind =:= opaque],
    Specs = [spec_text(S) || {attribute, _, spec, {S, _}} <- Forms],
    {Calls, Funs} = remote(Forms, {[], []}),
    [{<<"functions">>, sorted(Functions)},
     {<<"exports">>, sorted(Exports)},
     {<<"records">>, sorted(Records)},
     {<<"types">>, sorted(Types)},
     {<<"specs">>, sorted(Specs)},
     {<<"remote_calls">>, sorted(Calls)},
     {<<"remote_funs">>, sorted(Funs)},
     {<<"errors">>, strings(diagnostics(File, Forms))}].

na(Name, Arity) -> io_lib:format("~ts/~w", [atom_to_list(Name), Arity]).

mfa(M, F, A) -> io_lib:format("~ts:~ts/~w", [atom_to_list(M), atom_to_list(F), A]).

spec_text({F, A}) -> na(F, A);
spec_text({M, F, A}) -> mfa(M, F, A).

record_text(Name, Fields) ->
    [atom_to_list(Name), ${, lists:join($,, [field_name(F) || F <- Fields]), $}].

field_name({typed_record_field, Field, _Type}) -> field_name(Field);
field_name({record_field, _, {atom, _, F}}) -> atom_to_list(F);
field_name({record_field, _, {atom, _, F}, _Default}) -> atom_to_list(F).

%% Remote calls and `fun m:f/a` with literal parts, found by walking every term.
remote({call, _, {remote, _, {atom, _, M}, {atom, _, F}}, Args} = Call, {Calls, Funs}) ->
    walk(tuple_to_list(Call), {[mfa(M, F, length(Args)) | Calls], Funs});
remote({'fun', _, {function, {atom, _, M}, {atom, _, F}, {integer, _, A}}}, {Calls, Funs}) ->
    {Calls, [mfa(M, F, A) | Funs]};
remote(T, Acc) when is_tuple(T) -> walk(tuple_to_list(T), Acc);
remote(L, Acc) when is_list(L) -> walk(L, Acc);
remote(_, Acc) -> Acc.

walk([X | Xs], Acc) -> walk(Xs, remote(X, Acc));
walk(_, Acc) -> Acc.

%% epp's error and warning forms, with the file they come from when it is not File.
diagnostics(File, Forms) ->
    diagnostics(File, File, Forms).

diagnostics(Main, _Current, [{attribute, _, file, {Name, _}} | Forms]) ->
    diagnostics(Main, Name, Forms);
diagnostics(Main, Current, [{Severity, Info} | Forms])
  when Severity =:= error; Severity =:= warning ->
    Prefix = case Current of
                 Main -> "";
                 _ -> [Current, $:]
             end,
    [[Prefix, format_info(Severity, Info)] | diagnostics(Main, Current, Forms)];
diagnostics(Main, Current, [_ | Forms]) ->
    diagnostics(Main, Current, Forms);
diagnostics(_, _, []) -> [].

format_info(Severity, {Loc, Mod, Desc}) ->
    Text = case catch Mod:format_error(Desc) of
               {'EXIT', _} -> io_lib:format("~tp", [Desc]);
               T -> T
           end,
    io_lib:format("~w: ~w: ~ts", [line(Loc), Severity, Text]);
format_info(Severity, Other) ->
    io_lib:format("0: ~w: ~tp", [Severity, Other]).

line(Line) when is_integer(Line) -> Line;
line({Line, _Col}) when is_integer(Line) -> Line;
line(Anno) ->
    case catch erl_anno:line(Anno) of
        L when is_integer(L) -> L;
        _ -> 0
    end.

%% ---- Include directories: build-tree paths onto the installation.

%% The existing installed directories for the `{i, Dir}` options, in order, and
%% the options that map to none ({Option, Mapped | none}).
include_dirs(Cwd, Dirs) ->
    lists:foldr(
      fun(D, {Ok, Dropped}) ->
              Mapped = case filename:pathtype(D) of
                           absolute -> map_dir(D);
                           %% Relative to the build's working directory.
                           _ -> normalise(filename:join(filename:absname(Cwd), D))
                       end,
              case Mapped =/= none andalso filelib:is_dir(Mapped) of
                  true -> {[Mapped | Ok], Dropped};
                  false -> {Ok, [{D, Mapped} | Dropped]}
              end
      end, {[], []}, Dirs).

%% An absolute build-tree path onto the installed tree: `.../lib/APP/REST` onto
%% `<root>/lib/APP-VSN/REST` (the last `lib/APP` with APP installed), and
%% `.../erts/REST` onto the first of `<root>/erts-VSN/REST`,
%% `<root>/lib/erts-VSN/REST` and `<root>/usr/REST` that exists (with
%% `erts/preloaded/src` onto `<root>/lib/erts-VSN/src`, where Debian puts it).
%% snmp's `src/compile` is installed as `src/compiler`.
%% none when neither applies.
map_dir(Path) ->
    Parts = filename:split(normalise(Path)),
    case app_suffix(lists:reverse(Parts), []) of
        {App, Rest} ->
            LibDir = code:lib_dir(list_to_atom(App)),
            Installed = join(LibDir, Rest),
            case filelib:is_file(Installed) of
                true -> Installed;
                false -> join(LibDir, installed_rest(App, Rest))
            end;
        none ->
            case erts_suffix(lists:reverse(Parts), []) of
                none -> none;
                Rest -> erts_dir(Rest)
            end
    end.

%% Directories the installation names differently from the build tree.
installed_rest("snmp", ["src", "compile" | Rest]) -> ["src", "compiler" | Rest];
installed_rest(_App, Rest) -> Rest.

%% The last `lib/APP/REST...` in a path (given reversed) with APP installed.
app_suffix([App, "lib" | _], Rest) ->
    case code:lib_dir(list_to_atom(App)) of
        {error, _} -> none;
        _ -> {App, Rest}
    end;
app_suffix([Part | Parts], Rest) -> app_suffix(Parts, [Part | Rest]);
app_suffix([], _) -> none.

erts_suffix(["erts" | _], Rest) -> Rest;
erts_suffix([Part | Parts], Rest) -> erts_suffix(Parts, [Part | Rest]);
erts_suffix([], _) -> none.

erts_dir(["preloaded", "src" | Rest]) ->
    join(code:lib_dir(erts), ["src" | Rest]);
erts_dir(Rest) ->
    Root = code:root_dir(),
    Vsn = "erts-" ++ erlang:system_info(version),
    Candidates = [join(filename:join(Root, Vsn), Rest),
                  join(code:lib_dir(erts), Rest),
                  join(filename:join(Root, "usr"), Rest)],
    case [C || C <- Candidates, filelib:is_dir(C)] of
        [C | _] -> C;
        [] -> hd(Candidates)
    end.

join(Dir, []) -> Dir;
join(Dir, Parts) -> filename:join([Dir | Parts]).

%% An absolute path without `.` and `..` components (resolved textually).
normalise(Path) ->
    [Root | Parts] = filename:split(Path),
    filename:join([Root | lists:reverse(lists:foldl(fun step/2, [], Parts))]).

step(".", Acc) -> Acc;
step("..", [_ | Acc]) -> Acc;
step("..", []) -> [];
step(Part, Acc) -> [Part | Acc].

dedup(List) -> dedup(List, #{}).

dedup([X | Xs], Seen) when is_map_key(X, Seen) -> dedup(Xs, Seen);
dedup([X | Xs], Seen) -> [X | dedup(Xs, Seen#{X => true})];
dedup([], _) -> [].

%% ---- A tiny JSON encoder: objects as {object, Props}, {string, Chars},
%% integers, true/false/null and lists of values. Output is ASCII.

strings(Texts) -> [{string, T} || T <- Texts].

sorted(Texts) ->
    strings(lists:usort([unicode:characters_to_list(T) || T <- Texts])).

object(Props) ->
    Fields = [[string(K), $:, value(V)] || {K, V} <- Props],
    iolist_to_binary([${, join(Fields), $}]).

value({string, S}) -> string(S);
value({object, Props}) -> object(Props);
value(I) when is_integer(I) -> integer_to_binary(I);
value(true) -> <<"true">>;
value(false) -> <<"false">>;
value(null) -> <<"null">>;
value(L) when is_list(L) -> [$[, join([value(X) || X <- L]), $]].
