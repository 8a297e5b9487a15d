-module(container_maps).
-export([f/1]).

f(M) ->
    A = #{a => 1, b => 2},
    B = #{
        a => 1, b => 2
    },
    C = #{
        a => 1,
        b => 2
    },
    D = M#{a := 3},
    E = M#{
        a := 3, b := 4
    },
    #{a := Pat} = M,
    F = #{key_number_one => value_number_one, key_number_two => value_number_two, key3 => v3},
    G = #{},
    H = #{
        key_number_one => value_number_one,
        key_number_two => value_number_two,
        key_three => value_three,
        four => 4
    },
    I = M#{
        key_number_one := value_number_one,
        key_number_two := value_number_two,
        key3 := value_number_three,
        four := 4
    },
    {A, B, C, D, E, F, G, H, I, Pat}.
