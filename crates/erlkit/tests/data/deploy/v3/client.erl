-module(client).
-export([run/1]).
run(X) -> util:old_api(util:double(X)).
