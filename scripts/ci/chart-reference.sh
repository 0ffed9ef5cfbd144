#!/usr/bin/env bash
# Compares the chart values kept as test fixtures (test/fixtures/charts/<chart>/values.yaml) with the
# project's reference copies in ../shared/reference/charts/ (override: CHART_REFERENCE_DIR), so a
# fixture cannot silently drift from the reference. A clone without the reference folder skips.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
REFERENCE=${CHART_REFERENCE_DIR:-$REPO/../shared/reference/charts}
FIXTURES=$REPO/test/fixtures/charts

if [ ! -d "$REFERENCE" ]; then
  echo "chart-reference: SKIPPED ($REFERENCE does not exist)"
  exit 0
fi
status=0
for fixture in "$FIXTURES"/*/values.yaml; do
  chart=$(basename "$(dirname "$fixture")")
  if ! diff -q "$REFERENCE/$chart/values.yaml" "$fixture" >/dev/null 2>&1; then
    echo "chart-reference: test/fixtures/charts/$chart/values.yaml differs from $REFERENCE/$chart/values.yaml (copy the reference file over the fixture)"
    status=1
  else
    echo "chart-reference: $chart matches the reference"
  fi
done
exit $status
