#!/usr/bin/env bash
# Installs the AWS CLI (v1, the PyPI distribution) into a repo-local venv for the Qdrant backup test
# (test/data/qdrant-backup-moto.test.ts): the backup script drives `aws s3 cp`, `aws s3api
# list-objects-v2` and `aws s3api delete-object`, which v1 and the v2 of the amazon/aws-cli image
# accept alike; moto serves the S3 API. Idempotent: a venv that already has the pinned version is left alone.
#
# Usage: scripts/ci/install-awscli.sh            (prints the venv path on success)
# Env:   AWSCLI_VENV override the venv location (default: <repo>/.tools/venv-awscli)
#        PYTHON      interpreter used to create the venv (default: python3)
set -euo pipefail

# Pinned so that the CLI's behaviour (and therefore the test) does not change under us.
AWSCLI_VERSION="1.46.3"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=scripts/ci/lib/pinned-venv.sh
source "$repo_root/scripts/ci/lib/pinned-venv.sh"
pinned_venv install-awscli awscli "$AWSCLI_VERSION" "awscli==$AWSCLI_VERSION" aws \
  "${AWSCLI_VENV:-$repo_root/.tools/venv-awscli}" "${PYTHON:-python3}" "about 30 MB; a minute the first time"
