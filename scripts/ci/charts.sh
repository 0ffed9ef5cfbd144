#!/usr/bin/env bash
# Offline check of our own Helm charts (charts/*):
#   1. helm lint --strict with every CI values file in charts/<name>/ci/*-values.yaml
#   2. helm template each of them and validate the manifests with kubeconform against the Kubernetes
#      JSON schemas shipped in the PyPI package kubernetes-validate (no schema download at run time)
#   3. negative cases: helm template must FAIL for values the charts are meant to reject
#   4. with synth outdirs as arguments (`charts.sh cdktf.out.ci/<example> ...`): render each of our charts
#      with the values the stack ACTUALLY synthesized (its helm_release in cdk.tf.json), kubeconform it and
#      check what the platform relies on (hand-written CI values alone let a chart/platform mismatch pass)
#
# Tools are pinned and built from source through the Go module proxy (no prebuilt binaries) into
# $REPO/.tools/bin (gitignored); the schema package goes into a venv in $REPO/.tools/venv.
# Re-runs reuse them. Cold: two `go install`s (several minutes on 2 cores). Warm: a few seconds.
set -euo pipefail

# ---- pinned versions -------------------------------------------------------------------------------
HELM_VERSION=v3.22.0                  # helm.sh/helm/v3, builds with Go 1.26
KUBECONFORM_VERSION=v0.8.0            # github.com/yannh/kubeconform
KUBERNETES_VALIDATE_VERSION=1.37.0    # PyPI: JSON schemas for Kubernetes 1.25 ... 1.37
K8S_VERSION=1.34.0                    # the version we validate against (EKS/AKS GA line we target)
GO_BUILD_TIMEOUT=${GO_BUILD_TIMEOUT:-1200}   # seconds per `go install` (time box)

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TOOLS=$REPO/.tools
BIN=$TOOLS/bin
VENV=$TOOLS/venv
SCHEMAS=$TOOLS/k8s-schemas
mkdir -p "$BIN"

log() { printf '==> %s\n' "$*"; }
die() { printf 'charts.sh: %s\n' "$*" >&2; exit 1; }

# ---- tools -----------------------------------------------------------------------------------------
command -v go >/dev/null || die "go is required (Go module proxy is the only source for helm/kubeconform)"
command -v python3 >/dev/null || die "python3 is required (schema package from PyPI)"

# go_tool NAME PACKAGE MODULE VERSION: `go install PACKAGE@VERSION` into $BIN unless the binary there was
# already built from MODULE@VERSION (read back from the build info Go embeds in every binary).
go_tool() {
  local name=$1 pkg=$2 module=$3 version=$4
  if [[ -x $BIN/$name ]] && go version -m "$BIN/$name" 2>/dev/null |
      grep -Eq "^[[:space:]]+mod[[:space:]]+${module//./\\.}[[:space:]]+${version//./\\.}([[:space:]]|$)"; then
    return 0
  fi
  log "building $name $version from the Go module proxy (time box ${GO_BUILD_TIMEOUT}s)"
  # helm stamps its version through ldflags (otherwise `helm version` says only "v3.22").
  local ldflags=""
  [[ $name == helm ]] && ldflags="-X helm.sh/helm/v3/internal/version.version=$version"
  GOBIN=$BIN GOFLAGS=-buildvcs=false timeout "$GO_BUILD_TIMEOUT" \
    go install -ldflags="$ldflags" "$pkg@$version" || die "go install $pkg@$version failed (or timed out)"
}
go_tool helm helm.sh/helm/v3/cmd/helm helm.sh/helm/v3 "$HELM_VERSION"
go_tool kubeconform github.com/yannh/kubeconform/cmd/kubeconform github.com/yannh/kubeconform "$KUBECONFORM_VERSION"
HELM=$BIN/helm
KUBECONFORM=$BIN/kubeconform

# Schemas: kubernetes-validate ships draft 2020-12 schemas whose $refs point at
# https://kubernetes.io/api/_definitions.json (an $id, resolved by the package's own registry). kubeconform
# would try to fetch that URL, so we copy the one version we need and make the refs file-relative.
SCHEMA_DIR=$SCHEMAS/v$K8S_VERSION-local-strict
STAMP=$SCHEMAS/.stamp-$KUBERNETES_VALIDATE_VERSION-$K8S_VERSION
if [[ ! -f $STAMP ]]; then
  if ! "$VENV/bin/python" -c "import kubernetes_validate, sys; sys.exit(kubernetes_validate.__version__ != '$KUBERNETES_VALIDATE_VERSION')" 2>/dev/null; then
    log "installing kubernetes-validate==$KUBERNETES_VALIDATE_VERSION into $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
  fi
  log "preparing Kubernetes $K8S_VERSION schemas for kubeconform"
  rm -rf "$SCHEMAS" && mkdir -p "$SCHEMA_DIR"
  "$VENV/bin/python" - "$SCHEMA_DIR" "v$K8S_VERSION-local-strict" <<'PY'
import glob, json, os, sys
import kubernetes_validate
out, name = sys.argv[1], sys.argv[2]
src = os.path.join(os.path.dirname(kubernetes_validate.__file__), "kubernetes-json-schema", name)
files = glob.glob(os.path.join(src, "*.json"))
if not files:
    sys.exit(f"kubernetes-validate has no schemas for {name}")
for f in files:
    with open(f) as fh:
        schema = json.load(fh)
    if isinstance(schema, dict):
        schema.pop("$id", None)  # resolve refs against the file, not kubernetes.io
    text = json.dumps(schema).replace('"/api/_definitions.json#', '"_definitions.json#')
    with open(os.path.join(out, os.path.basename(f)), "w") as fh:
        fh.write(text)
PY
  touch "$STAMP"
fi

log "helm $("$HELM" version --short), kubeconform $KUBECONFORM_VERSION, schemas: kubernetes-validate $KUBERNETES_VALIDATE_VERSION (Kubernetes $K8S_VERSION, strict)"

# ---- checks ----------------------------------------------------------------------------------------
passed=0
failed=0
failures=()
ok()   { passed=$((passed + 1)); printf '  ok    %s\n' "$1"; }
fail() { failed=$((failed + 1)); failures+=("$1"); printf '  FAIL  %s\n' "$1"; [[ -n ${2:-} ]] && printf '%s\n' "$2" | sed 's/^/        /'; return 0; }

OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

# CRD kinds have no schema in the package. Only these are skipped, by full group/version/kind; any
# other kind without a schema is an error (no -ignore-missing-schemas).
SKIP_CRDS=monitoring.coreos.com/v1/ServiceMonitor

validate() { # validate FILE
  "$KUBECONFORM" -strict -summary -kubernetes-version "$K8S_VERSION" \
    -schema-location "$SCHEMAS/{{ .NormalizedKubernetesVersion }}-local{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json" \
    -skip "$SKIP_CRDS" "$1"
}

template() { # template CHART [helm args...] -> stdout manifests
  local chart=$1; shift
  "$HELM" template "ci-$(basename "$chart")" "$chart" --namespace ci --kube-version "$K8S_VERSION" "$@"
}

# expect_fail CHART VALUES PATTERN DESCRIPTION [--set ...]: helm template must fail, with stderr
# matching PATTERN (so it fails for the reason we mean, not for an unrelated one).
expect_fail() {
  local chart=$1 values=$2 pattern=$3 desc=$4; shift 4
  local err=$OUT/neg.err
  if template "$chart" -f "$values" "$@" >/dev/null 2>"$err"; then
    fail "$(basename "$chart"): rejects $desc" "helm template succeeded but must fail"
  elif grep -Eiq -- "$pattern" "$err"; then
    ok "$(basename "$chart"): rejects $desc"
  else
    fail "$(basename "$chart"): rejects $desc" "failed, but not with /$pattern/: $(head -c 600 "$err")"
  fi
}

# expect_rendered NAME FILE PATTERN: a rendered manifest must contain PATTERN (grep -E).
expect_rendered() {
  if grep -Eq -- "$3" "$2"; then ok "$1"; else fail "$1" "pattern not found: $3"; fi
}

# Canary: the validator must reject a manifest with an unknown field, or every "ok" below is vacuous
# (e.g. schemas silently not found).
cat >"$OUT/canary.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: canary}
spec:
  selector: {matchLabels: {app: canary}}
  template:
    metadata: {labels: {app: canary}}
    spec:
      containers: [{name: c, image: example.invalid/c:1, notAField: true}]
YAML
if validate "$OUT/canary.yaml" >/dev/null 2>&1; then
  fail "kubeconform rejects an unknown field (canary)" "the canary manifest validated: schemas are not being applied"
else
  ok "kubeconform rejects an unknown field (canary)"
fi

shopt -s nullglob
charts=("$REPO"/charts/*/Chart.yaml)
[[ ${#charts[@]} -gt 0 ]] || die "no charts under $REPO/charts"

for chart_yaml in "${charts[@]}"; do
  chart=$(dirname "$chart_yaml")
  name=$(basename "$chart")
  log "chart $name"
  ci_values=("$chart"/ci/*-values.yaml)
  [[ ${#ci_values[@]} -gt 0 ]] || { fail "$name: has ci/*-values.yaml" "none found"; continue; }
  for values in "${ci_values[@]}"; do
    label="$name [$(basename "$values")]"
    if log_out=$("$HELM" lint --strict "$chart" -f "$values" --kube-version "$K8S_VERSION" 2>&1); then
      ok "$label: helm lint --strict"
    else
      fail "$label: helm lint --strict" "$log_out"
    fi
    manifest=$OUT/$name-$(basename "$values" .yaml).yaml
    if err=$(template "$chart" -f "$values" 2>&1 >"$manifest"); then
      ok "$label: helm template"
      if kc_out=$(validate "$manifest" 2>&1); then
        ok "$label: kubeconform ($(tail -n1 <<<"$kc_out"))"
      else
        fail "$label: kubeconform" "$kc_out"
      fi
    else
      fail "$label: helm template" "$err"
    fi
  done
done

# ---- chart-specific assertions ---------------------------------------------------------------------
TEI=$REPO/charts/tei
TEI_CI=$TEI/ci/default-values.yaml
ORCH=$REPO/charts/orchestrator
ORCH_CI=$ORCH/ci/default-values.yaml

if [[ -f $TEI_CI ]]; then
  log "tei: rendered content"
  m=$OUT/tei-default-values.yaml
  expect_rendered "tei: one GPU per replica" "$m" 'nvidia\.com/gpu: 1'
  expect_rendered "tei: GPU family node selector" "$m" 'node\.kubernetes\.io/gpu-family: L4'
  expect_rendered "tei: toleration for the GPU taint" "$m" 'key: nvidia\.com/gpu'
  expect_rendered "tei: --prometheus-port flag" "$m" '- --prometheus-port'
  expect_rendered "tei: HF_HUB_OFFLINE=1" "$m" 'name: HF_HUB_OFFLINE'
  expect_rendered "tei: image from the mirror" "$m" 'image: 123456789012\.dkr\.ecr\.me-central-1\.amazonaws\.com/huggingface/text-embeddings-inference:89-1\.9'
  expect_rendered "tei: pod label tenant_id" "$m" 'tenant_id: shared'
  expect_rendered "tei: ServiceMonitor rendered when enabled" "$OUT/tei-init-servicemonitor-values.yaml" 'kind: ServiceMonitor'
  expect_rendered "tei: HF token by secretKeyRef" "$OUT/tei-init-servicemonitor-values.yaml" 'secretKeyRef'

  log "tei: values that must be rejected"
  expect_fail "$TEI" "$TEI_CI" 'registry' "an empty image registry" --set image.registry=
  expect_fail "$TEI" "$TEI_CI" 'registry' "a missing image registry (key removed)" --set image.registry=null
  expect_fail "$TEI" "$TEI_CI" 'registry' "a public image registry (ghcr.io)" --set image.registry=ghcr.io
  expect_fail "$TEI" "$TEI_CI" 'tag' "image tag latest" --set image.tag=latest
  expect_fail "$TEI" "$TEI_CI" 'revision' "an empty model revision" --set model.revision=
  expect_fail "$TEI" "$TEI_CI" 'revision' "a missing model revision (key removed)" --set model.revision=null
  expect_fail "$TEI" "$TEI_CI" 'revision' "a branch as model revision" --set model.revision=main
  expect_fail "$TEI" "$TEI_CI" 'model.*id|/model' "a missing model id" --set model.id=
  expect_fail "$TEI" "$TEI_CI" 'additional ?propert|not allowed' "a literal HF token" --set model.hfToken.value=hf_not_a_real_token
  expect_fail "$TEI" "$TEI_CI" 'additional ?propert|not allowed' "an unknown top-level key" --set replicas=2
  expect_fail "$TEI" "$TEI_CI" 'additional ?propert|not allowed' "a GPU count override" --set-string 'resources.limits.nvidia\.com/gpu=2'
  expect_fail "$TEI" "$TEI_CI" 'model.offline' "offline without an in-region model source" --set model.cacheVolume.existingClaim=
fi

if [[ -f $ORCH_CI ]]; then
  log "orchestrator: rendered content"
  m=$OUT/orchestrator-default-values.yaml
  expect_rendered "orchestrator: HPA min = replicaCount" "$m" 'minReplicas: 3'
  expect_rendered "orchestrator: PDB minAvailable 2" "$m" 'minAvailable: 2'
  expect_rendered "orchestrator: zone spread" "$m" 'topologyKey: topology\.kubernetes\.io/zone'
  expect_rendered "orchestrator: REQUIRE_TENANT_ID true" "$m" 'REQUIRE_TENANT_ID: "true"'
  expect_rendered "orchestrator: TENANT_HEADER" "$m" 'TENANT_HEADER: "x-tenant-id"'
  expect_rendered "orchestrator: credentials by secretKeyRef" "$m" 'name: orchestrator-langfuse'
  expect_rendered "orchestrator: replicas on the Deployment when HPA is off" "$OUT/orchestrator-no-hpa-aks-values.yaml" 'replicas: 4'
  expect_rendered "orchestrator: ServiceMonitor rendered when enabled" "$m" 'kind: ServiceMonitor'
  expect_rendered "orchestrator: METRICS_PORT for the image" "$m" 'name: METRICS_PORT'

  log "orchestrator: values that must be rejected"
  expect_fail "$ORCH" "$ORCH_CI" 'registry' "an empty image registry" --set image.registry=
  expect_fail "$ORCH" "$ORCH_CI" 'registry' "a missing image registry (key removed)" --set image.registry=null
  expect_fail "$ORCH" "$ORCH_CI" 'registry' "a public image registry (docker.io)" --set image.registry=docker.io
  expect_fail "$ORCH" "$ORCH_CI" 'tag' "a missing image tag" --set image.tag=
  expect_fail "$ORCH" "$ORCH_CI" 'tag' "image tag latest" --set image.tag=latest
  expect_fail "$ORCH" "$ORCH_CI" 'tag' "image tag LATEST" --set image.tag=LATEST
  expect_fail "$ORCH" "$ORCH_CI" 'replicaCount' "fewer than 3 replicas" --set replicaCount=2
  expect_fail "$ORCH" "$ORCH_CI" 'requireTenantId' "tenancy.requireTenantId=false" --set tenancy.requireTenantId=false
  expect_fail "$ORCH" "$ORCH_CI" 'minAvailable' "PDB minAvailable 1" --set podDisruptionBudget.minAvailable=1
  expect_fail "$ORCH" "$ORCH_CI" 'qdrantUrl' "an endpoint outside the cluster" --set endpoints.qdrantUrl=https://qdrant.example.com
  expect_fail "$ORCH" "$ORCH_CI" 'additional ?propert|not allowed' "a literal secret value" --set secrets.qdrantApiKey.value=not-a-real-key
  expect_fail "$ORCH" "$ORCH_CI" 'extraEnv|propertyNames|invalid propertyName' "a credential in extraEnv" --set extraEnv.LITELLM_MASTER_KEY=x
  expect_fail "$ORCH" "$ORCH_CI" 'name' "a missing Secret name" --set secrets.qdrantApiKey.name=
  expect_fail "$ORCH" "$ORCH_CI" 'maxReplicas' "HPA max below replicaCount" --set replicaCount=5 --set autoscaling.maxReplicas=4
  expect_fail "$ORCH" "$ORCH_CI" 'metricsPort' "metrics on the API port" --set metricsPort=8080
fi

# ---- our charts with the values the stacks synthesized -------------------------------------------
# synth_values OUTDIR: writes $OUT/synth/<example>-<release>.json for every release of a local chart
# (`chart` is a staged asset path) found in the outdir's stacks.
synth_values() {
  python3 - "$1" "$OUT/synth" <<'PY'
import glob, json, os, sys
outdir, dest = sys.argv[1], sys.argv[2]
os.makedirs(dest, exist_ok=True)
example = os.path.basename(os.path.normpath(outdir))
for path in sorted(glob.glob(os.path.join(outdir, "stacks", "*", "cdk.tf.json"))):
    with open(path) as fh:
        stack = json.load(fh)
    for release in stack.get("resource", {}).get("helm_release", {}).values():
        if str(release.get("chart", "")).startswith("assets/"):
            with open(os.path.join(dest, f"{example}-{release['name']}.json"), "w") as fh:
                fh.write(release["values"][0])
PY
}

for outdir in "$@"; do
  [[ -d $outdir ]] || die "no synth outdir $outdir"
  example=$(basename "$outdir")
  log "charts with the values synthesized for $example"
  synth_values "$outdir"
  rendered=0
  for values in "$OUT"/synth/"$example"-*.json; do
    release=$(basename "$values" .json); release=${release#"$example"-}
    label="$release [$example synthesized]"
    manifest=$OUT/synth/$example-$release.yaml
    if err=$("$HELM" template "$release" "$REPO/charts/$release" -f "$values" --namespace "$release" --kube-version "$K8S_VERSION" 2>&1 >"$manifest"); then
      ok "$label: helm template"
      rendered=$((rendered + 1))
      if kc_out=$(validate "$manifest" 2>&1); then ok "$label: kubeconform ($(tail -n1 <<<"$kc_out"))"; else fail "$label: kubeconform" "$kc_out"; fi
    else
      fail "$label: helm template" "$err"
      continue
    fi
    if [[ $release == tei ]]; then
      # The pool selector carries the family label too: it must render once (a duplicate key is invalid YAML
      # for strict parsers and ambiguous for the API server).
      n=$(grep -c 'node\.kubernetes\.io/gpu-family:' "$manifest" || true)
      if [[ $n == 1 ]]; then ok "$label: GPU family selector rendered once"; else fail "$label: GPU family selector rendered once" "found $n times"; fi
      expect_rendered "$label: model copied by the init container" "$manifest" '- name: fetch-model'
      expect_rendered "$label: TEI loads the copied revision offline" "$manifest" '"/data/models/[^"]+/[0-9a-f]{40}"'
      expect_rendered "$label: HF_HUB_OFFLINE=1" "$manifest" 'name: HF_HUB_OFFLINE'
      if grep -q 'persistentVolumeClaim' "$manifest"; then fail "$label: no pre-filled claim" "a persistentVolumeClaim is mounted"; else ok "$label: no pre-filled claim"; fi
    fi
    if [[ $release == orchestrator ]]; then
      # Per-tenant data through the API: the token is mounted and the image told where to read.
      expect_rendered "$label: ServiceAccount token mounted for tenant data" "$manifest" 'automountServiceAccountToken: true'
      expect_rendered "$label: tenant namespace prefix" "$manifest" 'TENANT_NAMESPACE_PREFIX: "tenant-"'
      expect_rendered "$label: tenant scope ConfigMap name" "$manifest" 'TENANT_SCOPE_CONFIG_MAP: "tenant-scope"'
      # The metrics contract is scraped on its own port (the ingress serves the API port only).
      expect_rendered "$label: ServiceMonitor on the metrics port" "$manifest" 'kind: ServiceMonitor'
      expect_rendered "$label: metrics container port" "$manifest" 'containerPort: 9090'
    fi
  done
  [[ $rendered -gt 0 ]] || fail "$example: a local chart rendered with synthesized values" "no helm_release of a local chart in $outdir"
done

# ---- summary ---------------------------------------------------------------------------------------
echo
if [[ $failed -gt 0 ]]; then
  printf 'failed checks:\n'; printf '  - %s\n' "${failures[@]}"
fi
echo "charts: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
