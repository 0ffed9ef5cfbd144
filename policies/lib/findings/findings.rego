# METADATA
# title: Findings and exceptions
# description: |
#   The one shape every concern package reports, and the one place exceptions are applied, so the
#   in-process (wasm) gate and opa/conftest give identical answers.
#   A finding is {rule, severity, address, construct_path, message, fix, msg}; `msg` is the one-line
#   form conftest prints. An exception in `data.environment.exceptions` ({rule, resource, stack, reason,
#   expires?}) covers a finding when rule equals finding.rule, resource equals finding.address and stack
#   equals data.stack.name (all exactly), its reason is a written one (valid_reason) and it has not
#   expired (expires >= data.environment.today; an expiring exception without a date given never applies).
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
		e.stack == tf.stack.name
		valid_reason(e.reason)
		in_force(e)
	]
	count(matches) > 0
}

# METADATA
# scope: document
# description: |
#   A written reason: at least 10 characters and 3 words, none of them a placeholder. Mirrors
#   lib/policy/exception-reason.ts (the config schema), so conftest honours only what the schema accepts.
valid_reason(reason) if {
	is_string(reason)
	text := lower(trim_space(reason))
	count(text) >= 10
	words := [trim(w, ".,;:!?()[]\"'") | some w in split(text, " "); w != ""]
	count(words) >= 3
	not _any_placeholder(words)
}

_any_placeholder(words) if {
	some w in words
	w in placeholder_words
}

placeholder_words := {"todo", "tbd", "tbc", "fixme", "xxx", "n/a", "na", "temp", "temporary", "placeholder", "wip", "dummy", "lorem", "later"}

# METADATA
# scope: document
# description: |
#   Exception e applies today: it does not expire, or the caller gave today's date and it is not past
#   `expires` (ISO dates compare as strings). No clock is read here.
in_force(e) if not e.expires

in_force(e) if {
	is_string(tf.environment.today)
	tf.environment.today <= e.expires
}

# METADATA
# description: True when an exception covers finding f.
is_excepted(f) if exception_for(f)

# METADATA
# description: Finding f with the reason of the exception that covers it (defined only then).
excepted(f) := object.union(f, {"exception_reason": exception_for(f).reason})
