#!/usr/bin/env bash
# Installs barman's cloud tools (barman-cloud-backup, -wal-archive, -restore, -wal-restore,
# -backup-delete: the same tools CloudNativePG runs inside its Postgres pods) into a repo-local venv,
# for the Postgres backup -> S3 (moto) -> restore round trip in test/data/postgres-backup-moto.test.ts.
# Idempotent: a venv that already has the pinned version is left alone.
#
# The venv's interpreter must be executable by the `postgres` user, because the Postgres server runs
# barman-cloud-wal-archive as its archive_command: so the default interpreter is Debian's
# /usr/bin/python3 (a pyenv under /root is not readable by other users), else python3 on PATH.
#
# Usage: scripts/ci/install-barman.sh            (prints the venv path on success)
# Env:   BARMAN_VENV override the venv location (default: <repo>/.tools/venv-barman)
#        PYTHON      interpreter used to create the venv
set -euo pipefail

# Pinned: 3.19.1 is the newest release that runs on Python 3.11 (3.20 needs 3.12), Debian 12's python.
BARMAN_VERSION="3.19.1"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if [[ -z "${PYTHON:-}" ]]; then
  if [[ -x /usr/bin/python3 ]]; then PYTHON=/usr/bin/python3; else PYTHON=python3; fi
fi
# shellcheck source=scripts/ci/lib/pinned-venv.sh
source "$repo_root/scripts/ci/lib/pinned-venv.sh"
pinned_venv install-barman barman "$BARMAN_VERSION" "barman[cloud]==$BARMAN_VERSION" barman-cloud-backup \
  "${BARMAN_VENV:-$repo_root/.tools/venv-barman}" "$PYTHON" "a minute the first time"
