-module(catch_and_send).
-export([f/1]).

f(Pid) ->
    Pid!hello,
    Pid ! {a_long_message_tag, with_some_payload, and_more_payload, [list, with, things], self()},
    R = catch throw(x),
    catch erlang:error(y),
    {R}.
