-module(spec_long_when).
-export([start_link/3]).

-spec start_link(Name, Module, Options) -> {ok, pid()} | ignore | {error, term()} when Name :: atom(), Module :: module(), Options :: [term()].
start_link(_, _, _) -> ignore.
