#!/usr/bin/env bash
# The policy gate's CI: tools, format, compile, lint, unit tests with coverage, wasm reproducibility,
# conftest over every synthesized stack, and the jest parity/mutation tests.
#
# Usage: scripts/ci/policy.sh [OUTDIR]        (OUTDIR: cdktf output, default cdktf.out)
# Env:   POLICY_COVERAGE_MIN  minimum `opa test --coverage` percentage (default 95)
#        POLICY_SKIP_JEST=1   skip the jest tests (when the caller runs jest itself)
#
# conftest input: OUTDIR/stacks/<stack>/cdk.tf.json with --data OUTDIR/policy-data/<stack>.json
# ({environment, stack}, written by apps/main.ts). Without OUTDIR/stacks, conftest runs on the policy
# fixtures only and says so.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"
outdir="${1:-cdktf.out}"
coverage_min="${POLICY_COVERAGE_MIN:-95}"
start=$SECONDS

step() { printf '\n== policy: %s (%ss)\n' "$1" "$((SECONDS - start))"; }

step "tools"
bin="$(bash scripts/ci/install-policy-tools.sh)"
opa="$bin/opa"
conftest="$bin/conftest"
regal="$bin/regal"
# `sed -n 1p` reads to the end of the output: `head -1` would SIGPIPE the tool and fail under pipefail.
"$opa" version | sed -n 1p
"$conftest" --version | sed -n 1p
"$regal" version | sed -n 1p

step "opa fmt --fail"
"$opa" fmt --list --fail policies

step "opa check --strict"
"$opa" check --strict policies

step "regal lint"
"$regal" lint --config-file policies/.regal/config.yaml policies

step "opa test --coverage (minimum ${coverage_min}%)"
"$opa" test --timeout 60s policies
coverage_json="$(mktemp)"
trap 'rm -f "$coverage_json"' EXIT
"$opa" test --timeout 60s policies --coverage --format json > "$coverage_json"
node -e '
  const fs = require("fs");
  const [file, min] = process.argv.slice(1);
  const report = JSON.parse(fs.readFileSync(file, "utf8"));
  const pct = report.coverage;
  for (const [name, f] of Object.entries(report.files).sort()) {
    if (!name.endsWith("_test.rego")) console.log(`  ${String(f.coverage.toFixed(1)).padStart(6)}%  ${name}`);
  }
  console.log(`policy coverage: ${pct.toFixed(2)}% (minimum ${min}%)`);
  if (pct < Number(min)) { console.error("policy coverage below the minimum"); process.exit(1); }
' "$coverage_json" "$coverage_min"

step "wasm bundle is reproducible and matches the committed one"
committed="lib/policy/bundle/policy.wasm"
tmpdir="$(mktemp -d)"
trap 'rm -f "$coverage_json"; rm -rf "$tmpdir"' EXIT
bash scripts/ci/policy-build-wasm.sh "$tmpdir/a.wasm" >/dev/null
bash scripts/ci/policy-build-wasm.sh "$tmpdir/b.wasm" >/dev/null
if ! cmp -s "$tmpdir/a.wasm" "$tmpdir/b.wasm"; then
  echo "policy: two builds of the wasm bundle differ; the build is not reproducible" >&2
  exit 1
fi
if ! cmp -s "$tmpdir/a.wasm" "$committed"; then
  echo "policy: $committed is stale: policies/ changed without rebuilding it." >&2
  echo "        run: bash scripts/ci/policy-build-wasm.sh && git add $committed" >&2
  exit 1
fi
echo "ok: $(sha256sum "$committed" | cut -c1-16)…  $committed"

step "conftest"
conftest_run() { # conftest_run DATA_FILE INPUT...
  local data="$1"
  shift
  "$conftest" test --all-namespaces --no-color --policy policies --data "$data" "$@"
}
if compgen -G "$outdir/stacks/*/cdk.tf.json" >/dev/null; then
  failed=0
  for stack_file in "$outdir"/stacks/*/cdk.tf.json; do
    stack="$(basename "$(dirname "$stack_file")")"
    data_file="$outdir/policy-data/$stack.json"
    if [[ ! -f "$data_file" ]]; then
      echo "policy: $data_file is missing (apps/main.ts writes {environment, stack} for each stack)" >&2
      failed=1
      continue
    fi
    echo "-- $stack"
    conftest_run "$data_file" "$stack_file" || failed=1
    # The same policies on Terraform's own view: scripts/ci/terraform-offline.sh leaves the offline
    # plan (`terraform show -json`) next to the stacks it could plan.
    plan_file="$(dirname "$stack_file")/plan.json"
    if [[ -f "$plan_file" ]]; then
      echo "-- $stack (offline plan JSON)"
      conftest_run "$data_file" "$plan_file" || failed=1
    fi
  done
  if [[ "$failed" != 0 ]]; then
    echo "policy: conftest denied at least one stack (see above; the in-process gate reports the same)" >&2
    exit 1
  fi
else
  echo "NOTE: no synthesized stacks under $outdir/stacks; conftest runs on the policy fixtures only."
fi
# Always: the compliant fixtures must pass conftest with their data.
node -e '
  const fs = require("fs"); const path = require("path");
  const c = JSON.parse(fs.readFileSync("policies/fixtures/contract/data.json", "utf8"));
  const env = { aws_platform: "aws", azure_platform: "azure", aws_workloads: "aws", aws_tenant: "aws", aws_plan: "aws" };
  for (const [id, cloud] of Object.entries(env)) {
    fs.writeFileSync(path.join(process.argv[1], id + ".json"), JSON.stringify({ environment: c.environments[cloud], stack: c.stacks[id] }));
  }
' "$tmpdir"
for fixture in aws_platform azure_platform aws_workloads aws_tenant aws_plan; do
  conftest_run "$tmpdir/$fixture.json" "policies/fixtures/$fixture/input.json" >/dev/null
done
echo "ok: conftest passes the compliant fixtures"

if [[ "${POLICY_SKIP_JEST:-}" != "1" ]]; then
  step "jest: gate, parity (wasm == opa == conftest), mutations"
  npx jest test/policy
fi

step "done"
