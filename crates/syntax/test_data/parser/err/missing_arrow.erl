f(X) X.
g() -> ok.
