-module(attr_conditional).
-include("some_header.hrl").
-include_lib("kernel/include/file.hrl").

-ifdef(TEST).
-export([test_only/0]).
-else.
-export([prod_only/0]).
-endif.
-ifndef(DEBUG).
-define(DEBUG, false).
-endif.
-if(?OTP_RELEASE >= 25).
-define(NEW, true).
-elif(?OTP_RELEASE >= 23).
-define(NEW, 'maybe').
-else.
-define(NEW, false).
-endif.
-undef(NEW).

-ifdef(TEST).
test_only() -> ok.
-else.
prod_only() -> ok.
-endif.
