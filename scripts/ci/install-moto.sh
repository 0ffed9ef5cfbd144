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
# shellcheck source=scripts/ci/lib/pinned-venv.sh
source "$repo_root/scripts/ci/lib/pinned-venv.sh"
pinned_venv install-moto moto "$MOTO_VERSION" "moto[server]==$MOTO_VERSION" moto_server \
  "${MOTO_VENV:-$repo_root/.tools/venv-moto}" "${PYTHON:-python3}" "about 300 MB of Python packages; minutes the first time"
