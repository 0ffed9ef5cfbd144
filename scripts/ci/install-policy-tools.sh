#!/usr/bin/env bash
# Installs the pinned policy tool chain (OPA, conftest, Regal) into <repo>/.tools/bin, building each
# from source through the Go module proxy (`go install module@version`). No release downloads.
# Idempotent: a binary that already reports the pinned version is left alone, so CI and developers can
# call this before every policy run at no cost.
#
# Usage: scripts/ci/install-policy-tools.sh      (prints the bin directory on success)
# Env:   POLICY_TOOLS_BIN  override the install directory (default: <repo>/.tools/bin)
set -euo pipefail

# Pinned together: OPA is the version conftest v0.71.1 embeds (its go.mod requires opa v1.21.1), so the
# `opa` CLI that builds policy.wasm and runs `opa test`, and conftest's evaluator, are the same engine.
# Regal embeds its own OPA (v1.12.2 for Regal v0.38.1); it only lints.
OPA_VERSION="v1.21.1"
CONFTEST_VERSION="v0.71.1"
REGAL_VERSION="v0.38.1"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="${POLICY_TOOLS_BIN:-$repo_root/.tools/bin}"
mkdir -p "$bin"

if ! command -v go >/dev/null 2>&1; then
  echo "install-policy-tools: 'go' not found on PATH; the policy tools are built from the Go module proxy" >&2
  exit 1
fi

# version_of TOOL: the version string the installed binary reports, or nothing.
version_of() {
  case "$1" in
    opa) { "$bin/opa" version 2>/dev/null || true; } | sed -n 's/^Version: *//p' ;;
    conftest) { "$bin/conftest" --version 2>/dev/null || true; } | sed -n 's/^Conftest: *//p' ;;
    regal) { "$bin/regal" version 2>/dev/null || true; } | sed -n 's/^Version: *//p' ;;
  esac
  return 0
}

# install TOOL MODULE VERSION [LDFLAGS]
install_tool() {
  local tool="$1" module="$2" version="$3" ldflags="${4:-}"
  local want="${version#v}"
  local have
  have="$(version_of "$tool")"
  if [[ -x "$bin/$tool" && ( "$have" == "$want" || "$have" == "$version" ) ]]; then
    return 0
  fi
  echo "install-policy-tools: building $tool $version from $module (go install; first build takes minutes)" >&2
  # CGO off: static binaries, no C toolchain needed. -trimpath keeps local paths out of the binary.
  CGO_ENABLED=0 GOBIN="$bin" GOFLAGS="-buildvcs=false -trimpath" \
    go install -ldflags="$ldflags" "$module@$version"
  have="$(version_of "$tool")"
  if [[ "$have" != "$want" && "$have" != "$version" ]]; then
    echo "install-policy-tools: $tool reports version '$have' after install, wanted $version" >&2
    exit 1
  fi
}

install_tool opa github.com/open-policy-agent/opa "$OPA_VERSION" \
  "-X github.com/open-policy-agent/opa/v1/version.Version=${OPA_VERSION#v}"
install_tool conftest github.com/open-policy-agent/conftest "$CONFTEST_VERSION" \
  "-X github.com/open-policy-agent/conftest/internal/version.Version=${CONFTEST_VERSION#v}"

# Regal: `go install module@version` also asks the proxy for the module's version list (to look for a
# deprecation notice), which the proxy refuses for Regal (403). Build it from a throw-away module that
# requires the pinned version instead: the same sources, versions and checksum verification.
if [[ "$(version_of regal)" != "${REGAL_VERSION#v}" ]]; then
  echo "install-policy-tools: building regal $REGAL_VERSION (go build in a temporary module; first build takes minutes)" >&2
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  (
    cd "$work"
    go mod init policytools/regal >/dev/null 2>&1
    go mod edit -require="github.com/open-policy-agent/regal@$REGAL_VERSION"
    CGO_ENABLED=0 GOFLAGS="-mod=mod -buildvcs=false -trimpath" go build \
      -ldflags="-X github.com/open-policy-agent/regal/pkg/version.Version=${REGAL_VERSION#v}" \
      -o "$bin/regal" github.com/open-policy-agent/regal
  )
  if [[ "$(version_of regal)" != "${REGAL_VERSION#v}" ]]; then
    echo "install-policy-tools: regal reports version '$(version_of regal)' after build, wanted $REGAL_VERSION" >&2
    exit 1
  fi
fi

echo "$bin"
