#!/usr/bin/env bash
# terraform init + validate + plan, offline, for every synthesized stack whose providers are all in the
# local filesystem mirror (today: hashicorp/aws 5.100.0). Mock credentials and a local backend are
# injected here, in an override file next to a COPY of the stack: they never enter the product's JSON.
#
# usage: scripts/ci/terraform-offline.sh OUTDIR [OUTDIR...]
set -euo pipefail

MIRROR=${TF_PROVIDER_MIRROR:-/opt/tf-plugins}
if ! command -v terraform >/dev/null 2>&1; then
  echo "terraform-offline: SKIPPED: terraform is not installed on this machine (it cannot be fetched from the package registries)"
  exit 0
fi
if [ ! -d "$MIRROR/registry.terraform.io/hashicorp/aws" ]; then
  echo "terraform-offline: SKIPPED: no provider mirror at $MIRROR"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/terraformrc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$MIRROR"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc" TF_IN_AUTOMATION=1 TF_INPUT=0

checked=0
failed=0
for outdir in "$@"; do
  for stack_json in "$outdir"/stacks/*/cdk.tf.json; do
    stack=$(basename "$(dirname "$stack_json")")
    providers=$(python3 -c 'import json,sys; print(" ".join(sorted(json.load(open(sys.argv[1])).get("terraform",{}).get("required_providers",{}))))' "$stack_json")
    if [ "$providers" != "aws" ]; then
      echo "terraform-offline: $stack: not checked here (providers: $providers; only hashicorp/aws is mirrored offline)"
      continue
    fi
    dir="$work/$stack"
    mkdir -p "$dir"
    cp "$stack_json" "$dir/"
    # The override replaces the backend with a local one and makes the provider plan without AWS:
    # allowed_account_ids needs the caller's account, which an offline plan cannot ask STS for.
    cat > "$dir/zz_offline_override.tf.json" <<'JSON'
{
  "terraform": { "backend": { "local": { "path": "offline.tfstate" } } },
  "provider": { "aws": {
    "access_key": "offline-mock", "secret_key": "offline-mock",
    "skip_credentials_validation": true, "skip_requesting_account_id": true,
    "skip_metadata_api_check": true, "allowed_account_ids": null
  } }
}
JSON
    start=$(date +%s)
    if ! terraform -chdir="$dir" init -no-color -input=false >"$dir/init.log" 2>&1; then
      echo "terraform-offline: $stack: init FAILED"; tail -20 "$dir/init.log"; failed=$((failed + 1)); continue
    fi
    if ! terraform -chdir="$dir" validate -no-color >"$dir/validate.log" 2>&1; then
      echo "terraform-offline: $stack: validate FAILED"; cat "$dir/validate.log"; failed=$((failed + 1)); continue
    fi
    if ! terraform -chdir="$dir" plan -no-color -input=false -refresh=false -out="$dir/plan.bin" >"$dir/plan.log" 2>&1; then
      echo "terraform-offline: $stack: plan FAILED"; tail -30 "$dir/plan.log"; failed=$((failed + 1)); continue
    fi
    terraform -chdir="$dir" show -json "$dir/plan.bin" >"$outdir/stacks/$stack/plan.json"
    summary=$(grep -E '^Plan: ' "$dir/plan.log" || echo 'Plan: no changes')
    echo "terraform-offline: $stack: valid; $summary ($(( $(date +%s) - start ))s); plan JSON at $outdir/stacks/$stack/plan.json"
    checked=$((checked + 1))
  done
done
echo "terraform-offline: $checked stack(s) validated and planned, $failed failed"
[ "$failed" -eq 0 ]
