-module( attr_module_export ).
-export([short/0]).
-export([api_function/1, api_another/2, api_another/3, api_third/4, something_else/0, and_more/1]).
-export([
    one_per_line/0,
    two_per_line/1, two_per_line/2
]).
-export([a_rather_long_function_name/0, another_rather_long_name/1, another_rather_long_name/2, x/0, y/0, z/0]).
-export_type([t/0]).
-compile([export_all, nowarn_export_all]).
-vsn("1.0").
-author("someone").
-behaviour(gen_server).
-on_load(init/0).
-dialyzer({nowarn_function, short/0}).
-custom_attribute({any, term, [1, 2, 3]}).
-type t() :: ok.

short() -> ok.
api_function(_) -> ok.
api_another(_, _) -> ok.
api_another(_, _, _) -> ok.
api_third(_, _, _, _) -> ok.
something_else() -> ok.
and_more(_) -> ok.
one_per_line() -> ok.
two_per_line(_) -> ok.
two_per_line(_, _) -> ok.
init() -> ok.
a_rather_long_function_name() -> ok.
another_rather_long_name(_) -> ok.
another_rather_long_name(_, _) -> ok.
x() -> ok.
y() -> ok.
z() -> ok.
