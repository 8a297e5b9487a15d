-module(price).
-export([vat/1]).
vat(X) -> X * 1.25.
