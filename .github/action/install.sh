#!/usr/bin/env bash
# Installs privet for action.yml: with pip, into a virtual environment of
# its own (runner images mark the system Python as externally managed), at
# the version of this ref of the action unless PACKAGE names another.
set -euo pipefail
: "${ACTION_PATH:?is not set: the directory of the action}"
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$ACTION_PATH/Cargo.toml" | head -n 1)
if [ -z "$version" ]; then
  echo "::error::privet action: no version in $ACTION_PATH/Cargo.toml" >&2
  exit 2
fi
package=${PACKAGE:-privet==$version}
venv="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/privet-venv"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$package"
"$venv/bin/privet" --version
# Later steps find privet on PATH.
if [ -n "${GITHUB_PATH:-}" ]; then
  echo "$venv/bin" >> "$GITHUB_PATH"
fi
