f() -> case x of a -> b.
g() -> ok.
