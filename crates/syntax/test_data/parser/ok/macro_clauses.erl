fields(a) -> [];
?FIELDS(b);
?FIELDS(c).
