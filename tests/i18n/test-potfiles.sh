#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Every file with a string marked for translation (_("…"), N_(), C_(), NC_() in C; translatable
# attributes in .ui files; translatable keys of .desktop.in, metainfo and GSettings schemas)
# is listed in po/POTFILES.in, and everything listed there exists: otherwise a translator
# never sees its strings and the program stays half in English.
set -eu
: "${SOURCE_ROOT:?SOURCE_ROOT must name the source tree}"
cd "$SOURCE_ROOT"
potfiles=po/POTFILES.in
n=0

marked=$( {
  grep -lE '\b(N?C?_|g_dngettext|ngettext)\s*\(\s*"' core/*.[ch] app/*.[ch] tui/*.[ch] 2>/dev/null || true
  grep -l 'translatable="yes"' app/*.ui 2>/dev/null || true
  ls data/*.desktop.in* data/*.metainfo.xml.in* 2>/dev/null || true
  grep -l '<summary\|<description' data/*.gschema.xml* 2>/dev/null || true
} | sort -u)
listed=$(grep -v '^\s*#' "$potfiles" | sed '/^\s*$/d' | sort -u)

missing=$(comm -23 <(echo "$marked") <(echo "$listed"))
if [ -n "$missing" ]; then
  echo "not ok 1 - every file with translatable strings is in $potfiles; missing:"
  echo "$missing" | sed 's/^/#   /'
  exit 1
fi
n=$((n + 1)); echo "ok $n - every file with translatable strings is in $potfiles ($(echo "$marked" | wc -l) files)"

gone=''
for file in $listed; do
  [ -f "$file" ] || gone="$gone $file"
done
if [ -n "$gone" ]; then
  echo "not ok 2 - every file in $potfiles exists (gone:$gone)"
  exit 1
fi
n=$((n + 1)); echo "ok $n - every file listed in $potfiles exists"
echo "1..$n"
