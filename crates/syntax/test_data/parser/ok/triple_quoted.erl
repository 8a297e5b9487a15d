f() ->
    {"""
     Text "with" quotes
     """, ~"sigil", ~b[bin], ~S{verbatim\n}, ~B<x>}.
