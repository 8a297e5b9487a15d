-module(syntax_error_form).
-export([good/0, also_good/0]).

good()->ok.

bad( -> this is not erlang ]].

also_good()  ->   [ 1,2 ].
