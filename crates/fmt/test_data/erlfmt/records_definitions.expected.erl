-module(records_definitions).

-record(empty, {}).
-record(point, {x = 0, y = 0}).
-record(typed, {name :: binary(), age = 0 :: non_neg_integer(), tags = [] :: [atom()]}).
-record(long_record_name, {
    first_field = undefined :: undefined | binary(), second_field = #{} :: map(), third_field
}).
-record(expanded, {
    a,
    b = 1 :: integer()
}).
-record(semi, {
    a, b
}).
