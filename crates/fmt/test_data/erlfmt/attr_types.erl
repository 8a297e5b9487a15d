-module(attr_types).
-export_type([color/0, tree/1, opaque_thing/0, long_union/0, fun_types/0, record_like/0]).

-type color() :: red|green|blue.
-type tree(T) :: leaf | {node, tree(T), T, tree(T)}.
-opaque opaque_thing() :: {opaque, reference()}.
-type long_union() :: first_alternative | second_alternative | {third, alternative} | fourth_alternative_here.
-type fun_types() :: {fun(), fun((...) -> ok), fun(() -> ok), fun((integer(), atom()) -> [term()])}.
-type record_like() :: #{name := binary(), age => non_neg_integer(), atom() => term()}.
-type long_tuple() :: {first_element_type(), second_element_type(), third_element_type(), fourth()}.
-type ranges() :: 1..10 | -1..1.
-type bins() :: <<>> | <<_:8>> | <<_:_*8>> | <<_:8, _:_*4>>.
-type lists() :: [integer()] | [integer(), ...] | nonempty_list(atom()) | list().
-type many() :: first_alternative | second_alternative | {third, alternative} | fourth_alternative_here | fifth.
-type long_fun() :: fun((first_argument_type(), second_argument_type()) -> {ok, result_type()} | {error, term()}).
-type long_map() :: #{first_key := first_value_type(), second_key := second_value_type(), third_key => term()}.
-type expanded() ::
    one
    | two.
