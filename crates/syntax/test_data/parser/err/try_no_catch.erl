f() -> try a() end.
