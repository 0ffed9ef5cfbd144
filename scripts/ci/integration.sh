#!/usr/bin/env bash
# `npm run test:integration`: installs the tools the integration tests need (each step says what it
# does; re-runs reuse .tools/), then runs the integration suite (jest.integration.config.js).
#   - opa + conftest (Go module proxy -> .tools/bin) for the wasm/OPA/conftest parity test
#   - moto (PyPI -> .tools/venv-moto) for the terraform drift test against a local AWS fake
#   - barman[cloud] (PyPI -> .tools/venv-barman) for the Postgres backup -> moto S3 -> restore round
#     trip; its Postgres server is Debian's `postgresql` package (.ci/run installs it)
#   - awscli (PyPI -> .tools/venv-awscli) for the Qdrant backup script -> moto S3 -> restore test
# terraform and the hashicorp/aws provider mirror cannot come from a registry: the drift test says
# SKIPPING loudly where they are absent.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
echo "integration: policy tools (opa, conftest, regal) into .tools/bin ..."
bash scripts/ci/install-policy-tools.sh >/dev/null
echo "integration: moto into .tools/venv-moto ..."
bash scripts/ci/install-moto.sh >/dev/null
echo "integration: barman[cloud] into .tools/venv-barman ..."
bash scripts/ci/install-barman.sh >/dev/null
echo "integration: awscli into .tools/venv-awscli ..."
bash scripts/ci/install-awscli.sh >/dev/null
echo "integration: jest --config jest.integration.config.js $*"
exec npx jest --config jest.integration.config.js "$@"
