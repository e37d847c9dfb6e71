#!/usr/bin/env bash
# The audit step of action.yml: GitHub annotations, and on a pull request
# the trust anchors of the branch it merges into (--base), fetched when the
# checkout does not have it.
set -euo pipefail
dir=${DIRECTORY:-.}
base=${BASE:-}
if [ -z "$base" ] && [ -n "${BASE_REF:-}" ]; then
  base="refs/remotes/origin/$BASE_REF"
  if ! git rev-parse --verify --quiet "$base^{commit}" >/dev/null; then
    git fetch --quiet --no-tags origin "+refs/heads/$BASE_REF:$base"
  fi
fi
if [ -n "$base" ]; then
  exec privet audit --format github --base "$base" "$dir"
else
  exec privet audit --format github "$dir"
fi
