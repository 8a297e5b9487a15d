#!/usr/bin/env escript
%% Times epp_dodger:parse_file/1 over the files listed, one path per line, in
%% the file named by the first argument: a warm-up over the first few files,
%% then one timed pass over all of them in this one process.
%% Prints `key value` lines: files, bytes, failed, elapsed_us.
%% Used by `cargo xtask bench parse`.
-mode(compile).

main([ListFile]) ->
    {ok, List} = file:read_file(ListFile),
    Files = [unicode:characters_to_list(Line)
             || Line <- binary:split(List, <<"\n">>, [global, trim_all])],
    Bytes = lists:sum([filelib:file_size(File) || File <- Files]),
    _ = [epp_dodger:parse_file(File) || File <- lists:sublist(Files, 20)],
    Start = erlang:monotonic_time(microsecond),
    Failed = lists:foldl(fun(File, N) ->
                                 case epp_dodger:parse_file(File) of
                                     {ok, _Forms} -> N;
                                     _ -> N + 1
                                 end
                         end, 0, Files),
    Elapsed = erlang:monotonic_time(microsecond) - Start,
    io:format("files ~b~nbytes ~b~nfailed ~b~nelapsed_us ~b~n",
              [length(Files), Bytes, Failed, Elapsed]);
main(_) ->
    io:format(standard_error, "usage: bench_epp_dodger.escript FILE_LIST~n", []),
    halt(2).
