# METADATA
# title: Test helpers
# description: |
#   Evaluates the gate on the fixtures under policies/fixtures (data.fixtures.<id>) with the data
#   contract of policies/fixtures/contract. Used by the *_test.rego files only; not compiled to wasm.
package lib.testutil

import rego.v1

contract := data.fixtures.contract

_env_of := {
	"aws_platform": "aws",
	"azure_platform": "azure",
	"aws_workloads": "aws",
	"aws_tenant": "aws",
	"aws_plan": "aws",
}

# The gate report for document doc evaluated as fixture id's stack and environment.
report(id, doc) := rep if {
	rep := data.gate.report with input as doc
		with data.environment as contract.environments[_env_of[id]]
		with data.stack as contract.stacks[id]
}

# The gate report with explicit environment and stack data.
report_with(doc, environment, stack) := rep if {
	rep := data.gate.report with input as doc
		with data.environment as environment
		with data.stack as stack
}

# The report of fixture id after the JSON patch ops.
patched(id, ops) := report(id, json.patch(data.fixtures[id], ops))

# Rule ids denied in a report.
rules(rep) := {f.rule | some f in rep.denies}

# The compliant fixture id raises nothing under rule.
clean(id, rule) if not rule in rules(report(id, data.fixtures[id]))

# rep denies rule on address.
denied(rep, rule, address) if {
	some f in rep.denies
	f.rule == rule
	f.address == address
}

# One op replacing (or adding) the value at path.
set(path, value) := {"op": "add", "path": path, "value": value}

# One op removing the value at path.
remove(path) := {"op": "remove", "path": path}
