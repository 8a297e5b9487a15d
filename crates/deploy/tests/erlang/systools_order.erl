%% The load order OTP's systools_rc gives an upgrade, for the deploy crate's
%% test of `load_order`. Input on stdin: one graph per line, `m0:m1,m2;m1:;...`
%% (each module, in instruction order, with the modules it depends on).
%% Output: one line per graph, the modules of the `load` instructions of the
%% low-level script, in order, separated by spaces.
-module(systools_order).
-export([main/0]).
-include_lib("sasl/src/systools.hrl").

main() ->
    lists:foreach(fun(Line) -> io:put_chars([order(Line), $\n]) end, lines([])).

lines(Acc) ->
    case io:get_line("") of
        eof -> lists:reverse(Acc);
        Line ->
            case string:trim(Line) of
                "" -> lines(Acc);
                Text -> lines([Text | Acc])
            end
    end.

order(Line) ->
    Modules = [parse_module(Text) || Text <- string:lexemes(Line, ";")],
    Names = [Name || {Name, _} <- Modules],
    Instructions = [{load_module, Name, brutal_purge, brutal_purge, Deps}
                    || {Name, Deps} <- Modules],
    Appl = #application{name = app, vsn = "1", modules = Names},
    {ok, Script} = systools_rc:translate_scripts([Instructions], [Appl], [Appl]),
    lists:join($\s, [atom_to_list(M) || {load, {M, _, _}} <- Script]).

parse_module(Text) ->
    case string:split(Text, ":") of
        [Name, Deps] ->
            {list_to_atom(Name), [list_to_atom(D) || D <- string:lexemes(Deps, ",")]};
        [Name] ->
            {list_to_atom(Name), []}
    end.
