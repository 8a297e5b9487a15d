f() -> maybe(1), else.
