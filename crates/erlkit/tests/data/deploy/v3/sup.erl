-module(sup).
-behaviour(supervisor).
-export([init/1]).
init([]) -> {ok, {#{}, []}}.
