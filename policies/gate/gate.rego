# METADATA
# title: Policy gate
# description: |
#   The one entrypoint the in-process gate evaluates (compiled to wasm as gate/report): every concern's
#   denies and excepted findings for one stack. conftest evaluates the concerns' `deny` rules directly
#   (--all-namespaces); both go through the same exception logic in lib.findings.
package gate

import rego.v1

import data.classification
import data.encryption
import data.exposure
import data.sovereignty
import data.tags
import data.tenancy
import data.workloads

# METADATA
# entrypoint: true
# description: "{denies, excepted}: sets of findings (arrays in JSON, in no particular order)."
report := {
	"denies": ((((((classification.deny | sovereignty.deny) | exposure.deny) | encryption.deny) | workloads.deny) | tenancy.deny) | tags.deny),
	"excepted": ((((((classification.excepted | sovereignty.excepted) | exposure.excepted) | encryption.excepted) | workloads.excepted) | tenancy.excepted) | tags.excepted),
}
