-module(unicode_text).
-export([f/0]).

%% Ünïcödé in comments: 日本語のコメント.
f() ->
    Greeting = "こんにちは世界、これは長い文字列です。幅の計算は文字の数で行われますか、それともバイト数ですか",
    Atom = 'héllo',
    Bin = <<"ĉu"/utf8>>,
    {Greeting, Atom, Bin, [$é, $日]}.
