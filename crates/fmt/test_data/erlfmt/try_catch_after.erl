-module(try_catch_after).
-export([a/0, b/0, c/0, d/0, e/0]).

a() -> try risky() catch _:_ -> error end.

b() ->
    try risky() of
        ok -> ok;
        {error, R} -> {failed, R}
    catch
        throw:Reason -> {thrown, Reason};
        error:Reason:Stack -> {error, Reason, Stack}
    after
        cleanup()
    end.

c() -> try Processed = risky(), info(Processed)
catch
    throw:error -> error
end.

d() ->
    try risky() after cleanup() end.

e() ->
    X = (catch risky()),
    Y = catch risky(),
    {X, Y}.

risky() -> ok.
cleanup() -> ok.
info(X) -> X.
