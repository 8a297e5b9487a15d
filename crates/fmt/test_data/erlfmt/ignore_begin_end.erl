-module(ignore_begin_end).

%% erlfmt:ignore-begin
-define(M1, [
    [0,   0,   0]
]).
-define(M2, [
    [0,   0,   0]
]).
%% erlfmt:ignore-end

-define(THIS_IS_FORMATTED,ok).

% erlfmt-ignore-begin
-define(OLD_STYLE,   {a,   b}).
% erlfmt-ignore-end
-define(AFTER,{a,b}).
