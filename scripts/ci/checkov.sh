#!/usr/bin/env bash
# checkov (pinned) over every synthesized stack: fails on any failed check that is not a recorded
# exception in .checkov.yaml (skip-check, each with its reason), and prints
#   checkov: N passed, M failed, K skipped
# where K counts the failed results that a recorded exception covers (so exceptions stay visible instead
# of vanishing from the report, as they would with checkov's own skip-check). An exception that matched
# nothing in this scan is reported, not fatal: some only apply to some environments.
#
# Usage: scripts/ci/checkov.sh OUTDIR [OUTDIR...]       (OUTDIR = a CDKTF_OUTDIR, holding stacks/*/cdk.tf.json)
# Env:   CHECKOV_VENV   override the venv location (default: <repo>/.tools/venv-checkov)
#        PYTHON         interpreter used to create the venv (default: python3)
set -euo pipefail

# Pinned so that the set of checks (and therefore what CI accepts) does not change under us. Upgrading
# is a reviewed change: new checks fail CI until they are fixed or recorded in .checkov.yaml.
CHECKOV_VERSION="3.3.30"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
config="$repo_root/.checkov.yaml"

if [ "$#" -eq 0 ]; then
  echo "usage: scripts/ci/checkov.sh OUTDIR [OUTDIR...]" >&2
  exit 2
fi

# ---- install (idempotent): a venv that already has the pinned version is left alone.
# shellcheck source=scripts/ci/lib/pinned-venv.sh
source "$repo_root/scripts/ci/lib/pinned-venv.sh"
venv=$(pinned_venv checkov checkov "$CHECKOV_VERSION" "checkov==$CHECKOV_VERSION" checkov \
  "${CHECKOV_VENV:-$repo_root/.tools/venv-checkov}" "${PYTHON:-python3}" "PyPI; a minute the first time")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# ---- stage COPIES of the stacks, without the top-level `terraform` block.
# checkov 3.3.30's terraform_json parser crashes on it: `hclify` expects every value under a block to be
# an object, and `required_version` (">= 1.10.0") is a string. checkov has no check on that block
# (backend and required_providers), so nothing is lost; the product's JSON is never modified.
stacks=0
index=0
for outdir in "$@"; do
  index=$((index + 1))
  found=0
  for stack_json in "$outdir"/stacks/*/cdk.tf.json; do
    [ -f "$stack_json" ] || continue
    stack=$(basename "$(dirname "$stack_json")")
    # <n>-<outdir name>/<stack>: two outdirs with the same name (a/cdktf.out, b/cdktf.out) do not collide.
    dest="$work/scan/$index-$(basename "$outdir")/$stack"
    mkdir -p "$dest"
    "$venv/bin/python" -c '
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    stack = json.load(f)
stack.pop("terraform", None)
with open(sys.argv[2], "w", encoding="utf-8") as f:
    json.dump(stack, f, indent=2)
' "$stack_json" "$dest/cdk.tf.json"
    found=$((found + 1))
  done
  if [ "$found" -eq 0 ]; then
    echo "checkov: no stacks/*/cdk.tf.json under $outdir (synthesize first)" >&2
    exit 1
  fi
  stacks=$((stacks + found))
done

# ---- the exceptions: .checkov.yaml's skip-check. checkov itself runs with a copy of the config without
# that list, so the excepted results are still evaluated and counted (as skipped) by the summary below.
"$venv/bin/python" - "$config" "$work/checkov.yaml" "$work/exceptions.txt" <<'PY'
import sys, yaml
with open(sys.argv[1], encoding="utf-8") as f:
    conf = yaml.safe_load(f) or {}
exceptions = conf.pop("skip-check", None) or []
conf.pop("quiet", None)  # the summary counts passed results too
with open(sys.argv[2], "w", encoding="utf-8") as f:
    yaml.safe_dump(conf, f)
with open(sys.argv[3], "w", encoding="utf-8") as f:
    f.write("".join(f"{e}\n" for e in exceptions))
PY

# ---- scan. --skip-download and the terraform_json framework are also in the config; repeated here so a
# config edit cannot make CI reach for the network or scan the wrong framework.
# Run from the staging directory: checkov also loads a .checkov.yaml from the working directory, which
# from the repo root would re-apply skip-check and hide the excepted results from the count.
set +e
(cd "$work" && "$venv/bin/checkov" --config-file "$work/checkov.yaml" -d "$work/scan" \
  --framework terraform_json --skip-download -o json >"$work/results.json" 2>"$work/stderr")
code=$?
set -e
# checkov exits 1 when a check failed (judged below); anything else is a crash.
if [ "$code" -ne 0 ] && [ "$code" -ne 1 ]; then
  echo "checkov: checkov exited $code" >&2
  cat "$work/stderr" >&2
  exit 1
fi

"$venv/bin/python" - "$work/results.json" "$work/exceptions.txt" "$stacks" <<'PY'
import json, sys
from collections import Counter

with open(sys.argv[1], encoding="utf-8") as f:
    text = f.read().strip()
reports = json.loads(text) if text else []
if isinstance(reports, dict):
    reports = [reports]
with open(sys.argv[2], encoding="utf-8") as f:
    exceptions = [line.strip() for line in f if line.strip()]
stacks = int(sys.argv[3])

passed, failed, excepted, parse_errors = 0, [], [], []
for report in reports:
    if "results" not in report:
        continue
    results = report["results"]
    passed += len(results.get("passed_checks", []))
    for check in results.get("failed_checks", []):
        (excepted if check["check_id"] in exceptions else failed).append(check)
    parse_errors += results.get("parsing_errors", [])
    if report.get("summary", {}).get("parsing_errors") and not results.get("parsing_errors"):
        parse_errors.append(f"{report['summary']['parsing_errors']} file(s) checkov could not parse")

if passed == 0 and not failed and not excepted:
    print(f"checkov: no result for {stacks} stack(s): did the scan run?", file=sys.stderr)
    sys.exit(1)

for check in sorted(failed, key=lambda c: (c["check_id"], c["file_path"], c["resource"])):
    print(f"FAILED {check['check_id']} {check['resource']} ({check['file_path'].lstrip('/')}): {check['check_name']}")
counts = Counter(c["check_id"] for c in excepted)
for check_id in exceptions:
    if counts[check_id]:
        print(f"exception {check_id}: {counts[check_id]} result(s) (reason in .checkov.yaml)")
    else:
        print(f"exception {check_id}: matched nothing in this scan")
for error in parse_errors:
    print(f"PARSE ERROR {error}")

print(f"checkov: {passed} passed, {len(failed)} failed, {len(excepted)} skipped ({stacks} stacks, {len(exceptions)} recorded exceptions)")
sys.exit(1 if failed or parse_errors else 0)
PY
