-module(attr_specs).
-export([f/1, g/2, h/1, k/0]).

-spec f(integer()) -> integer().
f(X) -> X.

-spec g(atom(), list()) -> ok; (integer(), map()) -> {error, term()}.
g(_, _) -> ok.

-spec h(Opts) -> Result when Opts :: [option()], Result :: ok | {error, Reason :: term()}.
h(_) -> ok.

-spec k() -> {some_really_long_return_type_name(), another_long_type_name(), yet_another_type()}.
k() -> {a, b, c}.

-spec kk() -> {some_really_long_return_type_name(), another_long_type_name(), yet_another_type(), more()}.
-spec many(atom(), list()) -> ok; (integer(), map()) -> {error, term()}; (binary(), tuple()) -> {ok, term()} | {error, term()}.
-spec lists:my_remote_spec(term()) -> term().

-type option() :: atom().
-type some_really_long_return_type_name() :: a.
-type another_long_type_name() :: b.
-type yet_another_type() :: c.
