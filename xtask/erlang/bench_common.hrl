%% What the benchmarks' Erlang helpers (bench_*.erl) share: timing, the
%% application of an OTP source file, and a pool of workers over a tuple.

timed(F) ->
    Start = erlang:monotonic_time(microsecond),
    Result = F(),
    {erlang:monotonic_time(microsecond) - Start, Result}.

%% The directory of File's application: the one inside `lib/`.
app_dir(Dir) ->
    Parent = filename:dirname(Dir),
    case filename:basename(Parent) of
        "lib" -> Dir;
        _ when Parent =:= Dir -> Dir;
        _ -> app_dir(Parent)
    end.

%% F on every element of the tuple Items by N workers that take the next index
%% from a shared counter (big files do not pile up on one worker); in order.
in_parallel(F, Items, N) ->
    Next = atomics:new(1, []),
    Parent = self(),
    Pids = [spawn_link(fun() -> Parent ! {self(), work(F, Items, Next, [])} end)
            || _ <- lists:seq(1, N)],
    Done = lists:append([receive {Pid, R} -> R end || Pid <- Pids]),
    [R || {_, R} <- lists:keysort(1, Done)].

work(F, Items, Next, Acc) ->
    I = atomics:add_get(Next, 1, 1),
    case I =< tuple_size(Items) of
        true -> work(F, Items, Next, [{I, F(element(I, Items))} | Acc]);
        false -> Acc
    end.
