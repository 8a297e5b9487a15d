-record(person, {name = "" :: string(), age :: integer() | undefined, email}).
-record(empty, {}).

f(P) ->
    #person{name = N} = P,
    P2 = P#person{age = 3},
    Age = P2#person.age,
    Idx = #person.name,
    M = #{a => 1, "b" => [2]},
    M2 = M#{a := 2, c => 3},
    #{a := A} = M2,
    P#person.name#name.first,
    #person{_ = '_'},
    #?REC{a = 1},
    {N, Age, Idx, A}.
