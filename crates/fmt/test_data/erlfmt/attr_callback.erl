-module(attr_callback).

-callback init(Args :: term()) -> {ok, State :: term()} | {error, Reason :: term()}.
-callback handle(Request :: term(), State :: term()) -> {reply, Reply :: term(), NewState :: term()} | {noreply, NewState :: term()}.
-callback terminate(term()) -> ok.
-optional_callbacks([terminate/1]).
