%% The peer of `cargo xtask bench lint`: OTP's compiler as far as its
%% warnings go, `compile:file(F, [strong_validation, return | Options])`
%% (erl_lint, then the core and kernel passes that warn; no code is
%% generated), over a list of modules in this one VM on all its schedulers,
%% each module with the include path and macros it was compiled with.
%%
%% The list is the file named by the environment variable
%% ERLKIT_BENCH_FILES, one path per line. The options come from each module's
%% installed .beam as xtask/erlang/epp_oracle.erl finds them for epp (compiled
%% from the same directory and loaded here): the include path as `{i, Dir}`
%% and the macros as `{d, Name}` / `{d, Name, Value}`. A module without a beam
%% gets its own directory and its application's include/ and src/. Parse
%% transforms are not run.
%%
%% Two phases, each timed with erlang:monotonic_time/1 and run by as many
%% workers as there are schedulers, taking the files one at a time from a
%% shared counter: the options of every file, then compiling every file.
%%
%% Prints `key value` lines: files, schedulers, beam_options, given_options,
%% compiled (files without errors), failed (files with errors), errors,
%% warnings, options_us, compile_us.
-module(bench_lint).
-export([main/0]).

-include("bench_common.hrl").

main() ->
    Helper = os:getenv("ERLKIT_HELPER"),
    Oracle = filename:join(filename:dirname(Helper), "epp_oracle.erl"),
    {ok, epp_oracle, Beam} = compile:file(Oracle, [binary, report]),
    {module, epp_oracle} = code:load_binary(epp_oracle, "epp_oracle.erl", Beam),
    {ok, List} = file:read_file(os:getenv("ERLKIT_BENCH_FILES")),
    Files = list_to_tuple([unicode:characters_to_list(Line)
                           || Line <- binary:split(List, <<"\n">>, [global, trim_all])]),
    Workers = erlang:system_info(schedulers_online),

    {OptionsUs, Options} = timed(fun() -> in_parallel(fun options/1, Files, Workers) end),
    Inputs = list_to_tuple(lists:zip(tuple_to_list(Files), Options)),
    {CompileUs, Results} = timed(fun() -> in_parallel(fun compile_one/1, Inputs, Workers) end),

    FromBeam = length([beam || {beam, _} <- Options]),
    Compiled = length([ok || {ok, _, _} <- Results]),
    Failed = length([error || {error, _, _} <- Results]),
    Errors = lists:sum([E || {_, E, _} <- Results]),
    Warnings = lists:sum([W || {_, _, W} <- Results]),
    io:format("files ~b~nschedulers ~b~nbeam_options ~b~ngiven_options ~b~n"
              "compiled ~b~nfailed ~b~nerrors ~b~nwarnings ~b~n"
              "options_us ~b~ncompile_us ~b~n",
              [tuple_size(Files), Workers, FromBeam, tuple_size(Files) - FromBeam,
               Compiled, Failed, Errors, Warnings, OptionsUs, CompileUs]).

%% {beam, CompileOptions} from the beam's compile_info, or {given, CompileOptions}.
options(File) ->
    case epp_oracle:epp_options(File) of
        {ok, EppOptions} -> {beam, compile_options(EppOptions)};
        {skip, _} ->
            App = app_dir(filename:dirname(File)),
            Dirs = [filename:dirname(File), filename:join(App, "include"),
                    filename:join(App, "src")],
            {given, [{i, D} || D <- Dirs]}
    end.

%% epp's options as the compiler's.
compile_options(EppOptions) ->
    Includes = proplists:get_value(includes, EppOptions, []),
    Macros = proplists:get_value(macros, EppOptions, []),
    [{i, D} || D <- Includes]
        ++ [case M of {N, V} -> {d, N, V}; N -> {d, N} end || M <- Macros].

%% {ok | error, Errors, Warnings}: how many of each the compiler returned.
compile_one({File, {_, Options}}) ->
    case compile:file(File, [strong_validation, return | Options]) of
        {ok, _Module, _Binary, Warnings} -> {ok, 0, count(Warnings)};
        {ok, _Module, Warnings} -> {ok, 0, count(Warnings)};
        {error, Errors, Warnings} -> {error, max(1, count(Errors)), count(Warnings)};
        error -> {error, 1, 0}
    end.

%% The number of messages in compile's [{File, [Message]}].
count(PerFile) ->
    lists:sum([length(Messages) || {_, Messages} <- PerFile]).
