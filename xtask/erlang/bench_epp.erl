%% The peer of `cargo xtask bench analyze`: OTP's own preprocessor,
%% `epp:parse_file/2`, over a list of modules in this one VM on all its
%% schedulers, each module with the options it was compiled with.
%%
%% The list is the file named by the environment variable
%% ERLKIT_BENCH_FILES, one path per line. The options come from each module's
%% installed .beam as xtask/erlang/epp_oracle.erl finds them (compiled from the
%% same directory and loaded here); a module without a beam gets its own
%% directory and its application's include/ and src/ (what erlkit gives it).
%%
%% Two phases, each timed with erlang:monotonic_time/1 and run by as many
%% workers as there are schedulers, taking the files one at a time from a
%% shared counter: the options of every file, then `epp:parse_file/2` of every
%% file, which only counts the forms (no other work on them).
%%
%% Prints `key value` lines: files, bytes, schedulers, beam_options,
%% given_options, forms, error_forms, failed, options_us, parse_us.
-module(bench_epp).
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
    Bytes = lists:sum([filelib:file_size(F) || F <- tuple_to_list(Files)]),

    {OptionsUs, Options} = timed(fun() -> in_parallel(fun options/1, Files, Workers) end),
    Inputs = list_to_tuple(lists:zip(tuple_to_list(Files), Options)),
    {ParseUs, Counts} = timed(fun() -> in_parallel(fun parse/1, Inputs, Workers) end),

    FromBeam = length([beam || {beam, _} <- Options]),
    Forms = lists:sum([N || {ok, N, _} <- Counts]),
    ErrorForms = lists:sum([E || {ok, _, E} <- Counts]),
    Failed = length([F || {failed, F} <- Counts]),
    io:format("files ~b~nbytes ~b~nschedulers ~b~nbeam_options ~b~ngiven_options ~b~n"
              "forms ~b~nerror_forms ~b~nfailed ~b~noptions_us ~b~nparse_us ~b~n",
              [tuple_size(Files), Bytes, Workers, FromBeam, tuple_size(Files) - FromBeam,
               Forms, ErrorForms, Failed, OptionsUs, ParseUs]).

%% {beam, EppOptions} from the beam's compile_info, or {given, EppOptions}.
options(File) ->
    case epp_oracle:epp_options(File) of
        {ok, Opts} -> {beam, Opts};
        {skip, _} ->
            App = app_dir(filename:dirname(File)),
            Dirs = [filename:dirname(File), filename:join(App, "include"),
                    filename:join(App, "src")],
            {given, [{includes, Dirs}, {macros, []}]}
    end.

parse({File, {_, Opts}}) ->
    case epp:parse_file(File, Opts) of
        {ok, Forms} ->
            {ok, length(Forms), length([E || {error, _} = E <- Forms])};
        {error, _} -> {failed, File}
    end.
