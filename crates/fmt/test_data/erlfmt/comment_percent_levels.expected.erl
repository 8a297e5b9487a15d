%%% ===================================================================
%%% Three percent signs: file-level comments are kept as written.
%%% ===================================================================
-module(comment_percent_levels).
-export([f/0]).

%% Two percent signs.
% One percent sign.
%%%% Four percent signs.
%%no space after the percent signs
%    indented text inside a comment
f() ->
    %% two in a body
    % one in a body

    % a tab before this comment
    ok.
