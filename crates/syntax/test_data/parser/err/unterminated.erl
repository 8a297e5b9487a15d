f() -> "abc.
g() -> ok.
