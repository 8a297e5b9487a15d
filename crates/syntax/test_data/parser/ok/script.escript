#!/usr/bin/env escript
%%! -smp enable
main(_) -> ok.
