-module(attr_define).

-define(CONST, 100).
-define(EMPTY,).
-define(STR, "a string").
-define(CALL(X), foo(X)).
-define(TWO_ARGS(A, B), {A, B}).
-define(EXPRS(X), X = 1, X + 1).
-define(LONG(Argument),
    some_module:some_function(Argument, with_a_long_argument_list, and_more_args)
).
-define(LONGER(Argument),
    some_module:some_function(Argument, with_a_long_argument_list, and_more_args, more)
).
-define(GUARD(X), is_integer(X) andalso X > 0).
-define(PARTIAL, begin).
-define(RECORD_FIELD, #rec.field).
-define(ATTR, -compile(export_all)).
-define(NOTHING(),).
-define(CASE(X),
    case X of
        a -> 1;
        _ -> 2
    end
).
