-define(A, 1).
-define(B(X), {X, ?A}).
-define(C, fun P/2).
-define(D(Pat), Pat when is_list(Pat)).
-define(EMPTY, ).
-define(CASE_START, case X of).
-undef(A).
-ifdef(TEST).
-include("a.hrl").
-else.
-include_lib("kernel/include/file.hrl").
-endif.
-ifndef(B).
-if(?OTP_RELEASE >= 25).
-elif(true).
-endif.
-error("bad").
-warning("meh").
-endif.
?wr_record(state).
f() -> ?B(1) + ?A, ??X, ?MODULE:g(), ?assertEqual(a, b), ?LET(X, int(), X > 1), ?MACRO(a; b, c).
?NAME(X) -> X.
