f() ->
    {"""
     Text "with" quotes
     """, ~"sigil", ~b[bin], ~S{verbatim\}, ~B<x>}.
