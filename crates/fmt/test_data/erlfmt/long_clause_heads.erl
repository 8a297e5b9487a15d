-module(long_clause_heads).
-export([handle_call/3, f/4]).

handle_call({some_request_with_a_long_name, Argument}, {FromPid, FromTag}, #{state_key := StateValue} = State) ->
    {reply, {Argument, FromPid, FromTag, StateValue}, State}.

f(#{first_key := First, second_key := Second}, {tuple, element, another}, [list, pattern], Last) when First > Second ->
    Last.
