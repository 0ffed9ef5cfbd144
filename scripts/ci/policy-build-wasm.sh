#!/usr/bin/env bash
# Compiles policies/ to the wasm module the in-process gate loads (lib/policy/bundle/policy.wasm).
#
# Usage: scripts/ci/policy-build-wasm.sh [OUT_WASM]   (default: lib/policy/bundle/policy.wasm)
#
# Only the built-ins that @open-policy-agent/opa-wasm supports are allowed (the SDK's capabilities.json
# intersected with this OPA's): a policy that uses anything else fails to build here instead of failing
# at evaluation time in the gate. The build is reproducible (fixed timestamps in the bundle), which
# scripts/ci/policy.sh checks by rebuilding and comparing with the committed module.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
opa="${OPA:-$repo_root/.tools/bin/opa}"
out="${1:-$repo_root/lib/policy/bundle/policy.wasm}"
sdk_caps="$repo_root/node_modules/@open-policy-agent/opa-wasm/capabilities.json"

if [[ ! -x "$opa" ]]; then
  echo "policy-build-wasm: $opa not found; run scripts/ci/install-policy-tools.sh" >&2
  exit 1
fi
if [[ ! -f "$sdk_caps" ]]; then
  echo "policy-build-wasm: $sdk_caps not found; run npm ci" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$opa" capabilities --current > "$work/opa-capabilities.json"
node -e '
  const fs = require("fs");
  const [cur, sdk, out] = process.argv.slice(1);
  const current = JSON.parse(fs.readFileSync(cur, "utf8"));
  const supported = new Set(JSON.parse(fs.readFileSync(sdk, "utf8")).builtins.map((b) => b.name));
  current.builtins = current.builtins.filter((b) => supported.has(b.name));
  fs.writeFileSync(out, JSON.stringify(current));
' "$work/opa-capabilities.json" "$sdk_caps" "$work/capabilities.json"

# Test files, test helpers and fixtures are not part of the gate. Build from the repository root with a
# relative path: the module embeds file names for error locations, so an absolute path would make the
# output depend on where the checkout lives.
cd "$repo_root"
"$opa" build -t wasm -e gate/report \
  --capabilities "$work/capabilities.json" \
  --ignore '*_test.rego' --ignore fixtures --ignore testutil \
  -o "$work/bundle.tar.gz" policies
tar -xzf "$work/bundle.tar.gz" -C "$work" /policy.wasm 2>/dev/null || tar -xzf "$work/bundle.tar.gz" -C "$work" policy.wasm
mkdir -p "$(dirname "$out")"
cp "$work/policy.wasm" "$out"
echo "$out"
