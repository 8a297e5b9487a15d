-module(cart).
-export([total/1, count/1]).
-record(cart, {items = [], owner}).

%% The sum of the prices.
total(Items) -> lists:sum([P || {_, P} <- Items]).

count(#cart{items = Items}) -> length(Items).
