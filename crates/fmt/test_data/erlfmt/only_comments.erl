%% This file has no forms at all,

%% only comments.
