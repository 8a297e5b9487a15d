%% What `beam_lib` reads from each `.beam` file, for `cargo xtask corpus beam`.
%%
%% Input on stdin: one path per line. Output: one line per file, fields
%% separated by tabs: the path, `beam_lib:md5/1` in hex (or `error`), the
%% module, the atoms, the labeled exports, the imports, the labeled locals,
%% the attribute keys, the compile_info keys, the compiler version and the
%% forms of the abstract code (`attribute/Name`, `function/Name/Arity`, or
%% the form's tag; `-` without debug information). Names
%% are the hex of their UTF-8 bytes (an atom may hold any character), list
%% items are separated by commas and the parts of an item by `/`.
-module(beam_oracle).
-export([main/0]).

main() ->
    Paths = read_lines([]),
    lists:foreach(fun(Path) -> io:put_chars([line(Path), $\n]) end, Paths).

read_lines(Acc) ->
    case io:get_line("") of
        eof -> lists:reverse(Acc);
        Line ->
            case string:trim(Line, trailing, "\n") of
                "" -> read_lines(Acc);
                Path -> read_lines([Path | Acc])
            end
    end.

line(Path) ->
    Md5 = case beam_lib:md5(Path) of
              {ok, {_, Digest}} -> hex(Digest);
              _ -> "error"
          end,
    Chunks = [atoms, labeled_exports, imports, labeled_locals, attributes, compile_info],
    case beam_lib:chunks(Path, Chunks, [allow_missing_chunks]) of
        {ok, {Module, [{atoms, Atoms}, {labeled_exports, Exports}, {imports, Imports},
                       {labeled_locals, Locals}, {attributes, Attributes},
                       {compile_info, Info}]}} ->
            lists:join($\t,
                       [Path, Md5, name(Module),
                        items([[name(A)] || {_, A} <- lists:keysort(1, Atoms)]),
                        items([[name(F), int(A), int(L)] || {F, A, L} <- Exports]),
                        items([[name(M), name(F), int(A)] || {M, F, A} <- Imports]),
                        items([[name(F), int(A), int(L)] || {F, A, L} <- or_none(Locals)]),
                        items([[name(K)] || {K, _} <- or_none(Attributes)]),
                        items([[name(K)] || {K, _} <- or_none(Info)]),
                        version(Info),
                        forms(Path)]);
        Error ->
            io_lib:format("~ts\t~ts\terror\t~0p", [Path, Md5, Error])
    end.

forms(Path) ->
    case beam_lib:chunks(Path, [abstract_code]) of
        {ok, {_, [{abstract_code, {raw_abstract_v1, Forms}}]}} ->
            items([form(Form) || Form <- Forms]);
        _ ->
            "-"
    end.

form({attribute, _, Name, _}) -> ["attribute", name(Name)];
form({function, _, Name, Arity, _}) -> ["function", name(Name), int(Arity)];
form(Form) -> [name(element(1, Form))].

or_none(missing_chunk) -> [];
or_none(List) -> List.

version(missing_chunk) -> "-";
version(Info) ->
    case lists:keyfind(version, 1, Info) of
        {version, V} -> V;
        false -> "-"
    end.

items(Items) -> lists:join($,, [lists:join($/, Item) || Item <- Items]).

name(Atom) -> hex(atom_to_binary(Atom, utf8)).

int(N) -> integer_to_list(N).

hex(Bin) -> [io_lib:format("~2.16.0b", [B]) || <<B>> <= Bin].
