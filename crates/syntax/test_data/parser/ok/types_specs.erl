-type t() :: integer() | atom().
-type(u(A) :: [A]).
-opaque o() :: {a, b}.
-nominal n() :: 0..255.
-type many() :: fun() | fun((...) -> ok) | fun((a, b) -> c) | [t(), ...] | [] | {} | #{} |
                #{a => b, c := d} | #r{f :: t()} | <<>> | <<_:8>> | <<_:_*4>> | <<_:8, _:_*4>> |
                m:t(1) | -1 | 1..10 | 'x' | $a | ?M(x) | (t()) | Name :: t().
-spec f(integer()) -> atom().
-spec g(A) -> B when A :: t(), B :: [A]; (x) -> y.
-spec(h() -> ok).
-spec m:f(x) -> y.
-callback init(Args :: term()) -> {ok, State :: term()}.
