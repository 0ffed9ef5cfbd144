#!/usr/bin/env bash
# CI glue for the rollout (see docs/rollout.md). Subcommands:
#   test       install moto (pinned, idempotent) and run the rollout tests, including the real
#              terraform + moto drift test
#   validate   `terraform init -backend=false` + `terraform validate` for every synthesized stack
#              (run `npm run synth` first); never touches state or a cloud API
# Env: SYNTH_DIR (default cdktf.out), TF_CLI_CONFIG_FILE (provider mirror, if the runner uses one).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"

usage() {
  echo "usage: scripts/ci/rollout.sh <test|validate>" >&2
  exit 2
}

cmd_test() {
  # The drift test would install moto itself; doing it first keeps its output out of jest's timing.
  "$repo_root/scripts/ci/install-moto.sh" >/dev/null
  npx jest test/rollout
  # The drift test is in the integration suite (jest.base.js), which the default config leaves out.
  npx jest --config jest.integration.config.js test/rollout
}

cmd_validate() {
  local synth_dir="${SYNTH_DIR:-cdktf.out}"
  if [[ ! -f "$synth_dir/manifest.json" ]]; then
    echo "rollout.sh: no $synth_dir/manifest.json; run npm run synth first" >&2
    exit 1
  fi
  export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
  local failed=0 dir
  # Stack directories from cdktf's manifest, sorted so the log order is stable.
  while IFS= read -r dir; do
    echo "==> terraform validate $dir"
    # -backend=false: validation needs providers, not state, so it runs without cloud credentials.
    if ! terraform -chdir="$synth_dir/$dir" init -backend=false -input=false -no-color >/dev/null \
      || ! terraform -chdir="$synth_dir/$dir" validate -no-color; then
      echo "rollout.sh: terraform validate failed for $dir" >&2
      failed=1
    fi
  done < <(node -e '
    const m = require(require("path").resolve(process.argv[1], "manifest.json"));
    for (const s of Object.values(m.stacks).map((s) => s.workingDirectory).sort()) console.log(s);
  ' "$synth_dir")
  exit "$failed"
}

case "${1:-}" in
  test) cmd_test ;;
  validate) cmd_validate ;;
  *) usage ;;
esac
