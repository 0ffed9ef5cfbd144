#!/usr/bin/env bash
# Installs moto's standalone server (a local fake of the AWS APIs) into a repo-local venv so the
# drift test can run `terraform apply` against something real without any cloud account.
# Idempotent: a venv that already has the pinned version is left alone, so CI and developers can
# call this before every test run at no cost.
#
# Usage: scripts/ci/install-moto.sh            (prints the venv path on success)
# Env:   MOTO_VENV   override the venv location (default: <repo>/.tools/venv-moto)
#        PYTHON      interpreter used to create the venv (default: python3)
set -euo pipefail

# Pinned so that moto's API behaviour (and therefore the drift test) does not change under us.
MOTO_VERSION="5.2.5"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="${MOTO_VENV:-$repo_root/.tools/venv-moto}"
python="${PYTHON:-python3}"

if ! command -v "$python" >/dev/null 2>&1; then
  echo "install-moto: '$python' not found; moto needs Python 3.9+" >&2
  exit 1
fi

installed_version() {
  # Prints the moto version installed in the venv, or nothing.
  "$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("moto"))' 2>/dev/null || true
}

if [[ -x "$venv/bin/moto_server" && "$(installed_version)" == "$MOTO_VERSION" ]]; then
  echo "$venv"
  exit 0
fi

echo "install-moto: installing moto[server]==$MOTO_VERSION into $venv (about 300 MB of Python packages; minutes the first time) ..." >&2
mkdir -p "$(dirname "$venv")"
if [[ ! -x "$venv/bin/python" ]]; then
  "$python" -m venv "$venv"
fi
# --disable-pip-version-check: the pip self-check is a network call we do not need.
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" >&2
if [[ "$(installed_version)" != "$MOTO_VERSION" || ! -x "$venv/bin/moto_server" ]]; then
  echo "install-moto: moto $MOTO_VERSION did not install into $venv" >&2
  exit 1
fi
echo "$venv"
