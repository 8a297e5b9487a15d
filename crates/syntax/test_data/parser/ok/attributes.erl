-module(attributes).
-behaviour(gen_server).
-behavior(supervisor).
-export([f/1, g/2]).
-export_type([t/0]).
-import(lists, [map/2, foldl/3]).
-optional_callbacks([init/1]).
-compile([export_all, {inline, [f/1]}]).
-on_load(init/0).
-nifs([f/1]).
-feature(maybe_expr, enable).
-doc "Some docs".
-moduledoc """
Module docs.
""".
-deprecated([{f, 1, "use g/2"}]).
-dialyzer({nowarn_function, f/1}).
-vsn(1).
-custom.
-file("attributes.erl", 1).
