-module(cart).

-export([total/1,
         count/1]).

-record(cart, {items = [],
               owner}).

%% @doc The sum of the prices of the items.
total(Items) ->
    lists:sum([P || {_, P} <- Items]).

count(#cart{items = Items}) ->
    length(Items).   % how many
