-export([f/]).
- 1.
f() -> ok.
