-module(comprehension_breaking).
-export([f/2]).

f(Users, Groups) ->
    [
        {user_name(User), group_name(Group)}
     || User <- Users, Group <- Groups, is_member(User, Group)
    ].

user_name(U) -> U.
group_name(G) -> G.
is_member(_, _) -> true.
