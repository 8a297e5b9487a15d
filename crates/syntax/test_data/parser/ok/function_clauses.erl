-module(function_clauses).
-export([f/1, g/0]).

%% A comment before f.
f(0) -> zero;
f(N) when is_integer(N), N > 0; N < -10 -> positive; % trailing
f(_) -> other.

g() -> ok.
