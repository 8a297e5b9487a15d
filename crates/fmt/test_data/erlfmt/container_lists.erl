-module(container_lists).
-export([f/0]).

f() ->
    Collapsed = [    foo, bar],
    SemiExpanded = [
        foo, bar],
    Expanded = [foo,
        bar],
    AlsoExpanded = [foo, bar,
        baz],
    Cons = [Head|Tail],
    Empty = [ ],
    TooLong = [first_element_of_the_list, second_element_of_the_list, third_element_of_the_list, fourth],
    Nested = [[1, 2], [
        3, 4]],
    {Collapsed, SemiExpanded, Expanded, AlsoExpanded, Cons, Empty, TooLong, Nested}.
