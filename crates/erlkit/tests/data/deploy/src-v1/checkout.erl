-module(checkout).
-export([pay/1]).
pay(Items) -> price:round(price:vat(cart:total(Items))).
