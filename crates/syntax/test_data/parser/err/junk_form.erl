) junk.
f() -> ok.
