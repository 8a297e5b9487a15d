#!/bin/sh
# Regenerates every NAME.expected.EXT in this folder from NAME.EXT with the
# `erlfmt` on PATH (the corpus was made with erlfmt 1.8.0), then checks that
# erlfmt leaves each expected file unchanged (idempotence).
#
# Usage: ./regenerate.sh            (from anywhere; needs erlfmt and escript on PATH)
#
# NAME.args, when present, holds extra erlfmt flags for that pair (one line,
# e.g. `--require-pragma`). erlfmt writes with `-w` on a copy in a temporary
# folder, so the output is taken byte for byte (no terminal encoding involved).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
command -v erlfmt >/dev/null 2>&1 || { echo "regenerate.sh: erlfmt is not on PATH" >&2; exit 2; }
echo "using $(erlfmt --version)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

status=0
for input in "$here"/*.erl "$here"/*.hrl "$here"/*.escript "$here"/*.config "$here"/*.app.src; do
    [ -e "$input" ] || continue
    file=$(basename "$input")
    case "$file" in *.expected.*) continue ;; esac
    name=${file%%.*}
    ext=${file#*.}
    expected="$here/$name.expected.$ext"
    args=""
    [ -f "$here/$name.args" ] && args=$(cat "$here/$name.args")

    cp "$input" "$tmp/$file"
    # shellcheck disable=SC2086 # $args is a list of flags
    if ! erlfmt -w $args "$tmp/$file" 2>"$tmp/stderr"; then
        echo "FAILED: erlfmt $args $file" >&2
        cat "$tmp/stderr" >&2
        status=1
        continue
    fi
    if [ -s "$tmp/stderr" ]; then
        echo "note: erlfmt $args $file said:"
        sed 's/^/    /' "$tmp/stderr"
    fi
    cp "$tmp/$file" "$expected"

    # Idempotence: formatting the expected output again must not change it.
    cp "$expected" "$tmp/$file"
    # shellcheck disable=SC2086
    erlfmt -w $args "$tmp/$file" 2>/dev/null || true
    if ! cmp -s "$expected" "$tmp/$file"; then
        echo "NOT IDEMPOTENT: erlfmt $args $name.expected.$ext" >&2
        diff -u "$expected" "$tmp/$file" >&2 || true
        status=1
    fi
    rm -f "$tmp/$file"
done
exit $status
