#!/usr/bin/env bash
# Enable Debian apt lines for one suite, derived from the machine's own apt sources.
# Usage: apt-deb-src.sh SUITE [TYPE [COMPONENTS]]
#   TYPE deb-src (default) or deb; COMPONENTS default "main" (e.g. "contrib non-free")
# Writes /etc/apt/sources.list.d/mlipeval-SUITE-src.sources (deb-src of main) or
# mlipeval-SUITE-TYPE-COMPONENTS.sources with the URIs and keyring of the existing main Debian
# entry (deb822 or one-line format); no host name is written by us.
set -euo pipefail
suite=${1:?usage: apt-deb-src.sh SUITE [TYPE [COMPONENTS]]}
type=${2:-deb-src}
components=${3:-main}
if [ "$type" = deb-src ] && [ "$components" = main ]; then
  out=/etc/apt/sources.list.d/mlipeval-${suite}-src.sources
else
  out=/etc/apt/sources.list.d/mlipeval-${suite}-${type}-$(echo "$components" | tr ' ' '-').sources
fi
[ -f "$out" ] && exit 0

uri="" ; keyring=""
# deb822 files: take the first stanza whose Suites contain a plain codename (not -security/-updates)
for f in /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  case "$f" in *mlipeval-*) continue ;; esac
  read -r uri keyring < <(awk '
    BEGIN { RS=""; FS="\n" }
    {
      u=""; s=""; k=""; t=""
      for (i = 1; i <= NF; i++) {
        if ($i ~ /^URIs:/)      { u = $i; sub(/^URIs:[ \t]*/, "", u); split(u, a, /[ \t]+/); u = a[1] }
        if ($i ~ /^Suites:/)    { s = $i }
        if ($i ~ /^Signed-By:/) { k = $i; sub(/^Signed-By:[ \t]*/, "", k) }
        if ($i ~ /^Types:/)     { t = $i }
      }
      if (t ~ /deb/ && u ~ /\/debian\/?$/ && s !~ /security/) { print u, k; exit }
    }' "$f") || true
  [ -n "$uri" ] && break
done
# one-line format fallback
if [ -z "$uri" ]; then
  uri=$(grep -hE '^deb[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
        grep -v security | awk '{for (i=2;i<=NF;i++) if ($i !~ /^\[/) {print $i; exit}}' | grep -E '/debian/?$' | head -1 || true)
fi
if [ -z "$uri" ]; then
  echo "apt-deb-src.sh: found no Debian archive entry in the apt sources to derive deb-src from" >&2
  exit 1
fi
[ -n "$keyring" ] || keyring=/usr/share/keyrings/debian-archive-keyring.gpg
{
  echo "Types: $type"
  echo "URIs: $uri"
  echo "Suites: $suite"
  echo "Components: $components"
  echo "Signed-By: $keyring"
} > "$out"
echo "apt-deb-src.sh: enabled $type $components for $suite from the existing apt sources ($out)"
