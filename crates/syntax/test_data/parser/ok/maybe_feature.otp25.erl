-module(maybe_feature).
f() -> maybe(1).
-feature(maybe_expr, enable).
g() -> maybe ok ?= h() else _ -> error end.
