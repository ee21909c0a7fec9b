#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A program's man page renders without a warning and documents every option of its --help.
# PROGRAM is the built program, MAN_PAGE its configured man page.
set -eu
: "${PROGRAM:?}" "${MAN_PAGE:?}"
command -v man >/dev/null 2>&1 || { echo "Bail out! man is not installed (build-aux/dev installs man-db)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -l "$MAN_PAGE" >"$tmp/man.txt" 2>"$tmp/man.err"
if [ -s "$tmp/man.err" ] || ! grep -q '^NAME' "$tmp/man.txt"; then
  sed 's/^/# /' "$tmp/man.err"
  echo "not ok 1 - the man page renders without warnings"; exit 1
fi
echo "ok 1 - the man page renders without warnings"

missing=''
for option in $("$PROGRAM" --help 2>&1 | grep -o -- '--[a-z][a-z-]*' | sort -u); do
  grep -qF -- "$option" "$tmp/man.txt" || missing="$missing $option"
done
if [ -n "$missing" ]; then
  echo "not ok 2 - the man page documents every option (missing:$missing)"; exit 1
fi
echo "ok 2 - the man page documents every option of $(basename "$PROGRAM") --help"
echo "1..2"
