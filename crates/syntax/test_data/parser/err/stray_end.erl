f() -> ok end.
g() -> ok.
