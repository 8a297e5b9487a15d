-module(multiline_guards_when).
-export([f/3]).

f(Alpha, Beta, Gamma) when is_integer(Alpha) andalso is_integer(Beta) andalso is_integer(Gamma) andalso Alpha > Beta ->
    ok;
f(Alpha, Beta, Gamma) when Alpha =:= some_atom_value; Beta =:= another_atom_value; Gamma =:= yet_another ->
    other.
