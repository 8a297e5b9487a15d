%% A header: records, macros and types, no module attribute.
-record(state, {socket :: port(), buffer = <<>> :: binary(), count = 0 :: non_neg_integer()}).
-define(TIMEOUT, 5000).
-define(is_valid(X), (is_integer(X) andalso X > 0)).
-type state() :: #state{}.
-spec helper(term()) -> ok.
