# METADATA
# title: Findings and exceptions
# description: |
#   The one shape every concern package reports, and the one place exceptions are applied, so the
#   in-process (wasm) gate and opa/conftest give identical answers.
#   A finding is {rule, severity, address, construct_path, message, fix, msg}; `msg` is the one-line
#   form conftest prints. An exception in `data.environment.exceptions` ({rule, resource, reason})
#   matches a finding when rule equals finding.rule and resource equals finding.address (exactly).
package lib.findings

import rego.v1

import data.lib.tf

# METADATA
# description: A finding about resource r (a normalised resource from lib.tf).
finding(rule, severity, r, message, fix) := {
	"rule": rule,
	"severity": severity,
	"address": r.address,
	"construct_path": r.construct_path,
	"message": message,
	"fix": fix,
	"msg": concat("", [rule, " [", severity, "] ", r.address, ": ", message, " Fix: ", fix]),
}

# METADATA
# description: A finding about the stack as a whole (something missing from it).
stack_finding(rule, severity, message, fix) := finding(rule, severity, stack_subject, message, fix)

# The subject of stack-level findings: address "stack.<name>" (data.stack.name).
stack_subject := {
	"address": concat(".", ["stack", object.get(tf.stack, ["name"], "unknown")]),
	"construct_path": object.get(tf.stack, ["name"], ""),
}

# The exception that covers finding f, if any.
exception_for(f) := matches[0] if {
	matches := [e |
		some e in object.get(tf.environment, ["exceptions"], [])
		e.rule == f.rule
		e.resource == f.address
	]
	count(matches) > 0
}

# METADATA
# description: True when an exception covers finding f.
is_excepted(f) if exception_for(f)

# METADATA
# description: Finding f with the reason of the exception that covers it (defined only then).
excepted(f) := object.union(f, {"exception_reason": exception_for(f).reason})
