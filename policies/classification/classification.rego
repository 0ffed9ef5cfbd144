# METADATA
# title: Classification
# description: |
#   The gate fails closed: every resource type, data source, provider, backend, Kubernetes manifest kind
#   and top-level block a stack contains must be classified for the stack's kind (and the environment's
#   cloud) in classification.allowlist. Anything else is denied with a message that names it and says
#   how to classify it; nothing unknown is compliant by default.
package classification

import rego.v1

import data.classification.allowlist
import data.lib.findings
import data.lib.tf

# METADATA
# description: Findings after exceptions; what blocks the rollout.
deny contains f if {
	some f in raw_finding
	not findings.is_excepted(f)
}

# METADATA
# description: Findings an exception in data.environment.exceptions covers, with its reason.
excepted contains findings.excepted(f) if {
	some f in raw_finding
	findings.is_excepted(f)
}

kind := object.get(tf.stack, "kind", "unknown")

cloud := object.get(tf.environment, "cloud", "unknown")

_allowlist_file := "policies/classification/allowlist/allowlist.rego"

_unclassified(subject, what, table) := findings.finding(
	"classification.unclassified", "critical", subject,
	concat("", [what, " is not classified, so the gate cannot judge it."]),
	concat("", [
		"If it belongs in ", kind, " stacks, add it to `", table, "` in ", _allowlist_file,
		" (stack kinds, whether it holds data, the rules that judge it) in a reviewed change; otherwise remove it.",
	]),
)

_misplaced(subject, what, entry, table) := findings.finding(
	"classification.unclassified", "critical", subject,
	concat("", [what, " is classified for ", _where(entry), ", not for a ", kind, " stack on ", cloud, "."]),
	concat("", ["Move it to a stack of an allowed kind, or extend its entry in `", table, "` in ", _allowlist_file, " in a reviewed change."]),
)

_where(entry) := concat("", [concat(", ", entry.kinds), " stacks on ", concat(", ", entry.clouds)]) if {
	entry.clouds
} else := concat("", [concat(", ", entry.kinds), " stacks"])

_allowed(entry) if {
	kind in entry.kinds
	cloud in object.get(entry, "clouds", [cloud])
}

# The provider a resource or data source type belongs to ("aws_s3_bucket" -> "aws").
_provider_of(type) := split(type, "_")[0]

# Types of Terraform's built-in provider need no provider classification.
_builtin_provider := "terraform"

# Resources: the type is classified for this kind, and its provider for this cloud.
raw_finding contains _unclassified(r, concat("", ["Resource type ", r.type, " (", r.address, ")"]), "resources") if {
	some r in tf.resources
	not allowlist.resources[r.type]
}

raw_finding contains _misplaced(r, concat("", ["Resource type ", r.type, " (", r.address, ")"]), entry, "resources") if {
	some r in tf.resources
	entry := object.union(allowlist.resources[r.type], _provider_clouds(r.type))
	not _allowed(entry)
}

_provider_clouds(type) := {"clouds": clouds} if {
	clouds := allowlist.provider_names[_provider_of(type)].clouds
} else := {"clouds": []} if {
	_provider_of(type) != _builtin_provider
} else := {}

# kubernetes_manifest: the object's apiVersion/kind is classified for this kind. A kind written as an
# expression cannot be classified and is denied like an unknown one.
raw_finding contains _unclassified(r, concat("", ["Kubernetes object ", key, " (", r.address, ")"]), "manifests") if {
	some r in tf.resources
	r.type == "kubernetes_manifest"
	key := _manifest_key(r)
	not allowlist.manifests[key]
}

raw_finding contains _misplaced(r, concat("", ["Kubernetes object ", key, " (", r.address, ")"]), entry, "manifests") if {
	some r in tf.resources
	r.type == "kubernetes_manifest"
	key := _manifest_key(r)
	entry := allowlist.manifests[key]
	not _allowed(entry)
}

_manifest_key(r) := concat("/", [
	_literal_or_unknown(object.get(r.values, ["manifest", "apiVersion"], "")),
	_literal_or_unknown(object.get(r.values, ["manifest", "kind"], "")),
])

_literal_or_unknown(v) := v if {
	is_string(v)
	not tf.is_expression(v)
} else := "<not a literal>"

# Data sources.
raw_finding contains _unclassified(d, concat("", ["Data source ", d.type, " (", d.address, ")"]), "data_sources") if {
	some d in tf.data_sources
	not allowlist.data_sources[d.type]
}

raw_finding contains _misplaced(d, concat("", ["Data source ", d.type, " (", d.address, ")"]), entry, "data_sources") if {
	some d in tf.data_sources
	entry := object.union(allowlist.data_sources[d.type], _provider_clouds(d.type))
	not _allowed(entry)
}

# Providers: configured and required ones, by local name, and the registry source they come from.
raw_finding contains _unclassified(p, concat("", ["Provider ", p.name, " (", p.address, ")"]), "provider_names") if {
	some p in _providers
	not allowlist.provider_names[p.name]
}

raw_finding contains _misplaced(p, concat("", ["Provider ", p.name, " (", p.address, ")"]), entry, "provider_names") if {
	some p in _providers
	entry := allowlist.provider_names[p.name]
	not _allowed(entry)
}

_providers := tf.provider_configs | tf.required_providers

raw_finding contains findings.finding(
	"classification.unclassified", "critical", p,
	concat("", ["Provider ", p.name, " (", p.address, ") comes from '", p.source, "', not from hashicorp/", p.name, "."]),
	"Use the HashiCorp provider of that name; a provider from another namespace is a different, unreviewed plugin.",
) if {
	some p in tf.required_providers
	p.source != concat("/", ["hashicorp", p.name])
}

# Backends: where the state (every attribute of every resource) is kept.
raw_finding contains _unclassified(b, concat("", ["State backend ", b.name, " (", b.address, ")"]), "backends") if {
	some b in tf.backends
	not allowlist.backends[b.name]
}

raw_finding contains _misplaced(b, concat("", ["State backend ", b.name, " (", b.address, ")"]), entry, "backends") if {
	some b in tf.backends
	entry := allowlist.backends[b.name]
	not _allowed(entry)
}

# Top-level blocks and terraform settings (cdk.tf.json only; plan JSON has its own fixed shape).
raw_finding contains _unclassified(subject, concat("", ["Top-level block '", key, "'"]), "blocks") if {
	tf.is_cdktf
	some key, _ in input
	not key in allowlist.blocks
	subject := {"address": key, "construct_path": ""}
}

raw_finding contains _unclassified(subject, concat("", ["Terraform setting '", key, "'"]), "terraform_settings") if {
	tf.is_cdktf
	some key, _ in object.get(input, "terraform", {})
	not key in {"backend", "cloud"} # judged as backends above
	not key in allowlist.terraform_settings
	subject := {"address": concat(".", ["terraform", key]), "construct_path": ""}
}

# classification.dynamic_block: cdktf writes a `dynamic` block (an iterator, or an escape hatch) as
# `dynamic.<block>` with a `for_each` and a `content` template. No rule reads blocks there (they read
# `tf.blocks`), so in a type the rules judge (data-bearing, or with rules) a dynamic block would hide what
# they check, e.g. a replication or network rule. Denied: no rule opts in yet; one that reads
# `dynamic.<block>.content` must exist before a type may use it. (Plan JSON has them expanded.)
raw_finding contains findings.finding(
	"classification.dynamic_block", "critical", r,
	concat("", [r.address, " writes block(s) ", concat(", ", sort([k | some k, _ in r.values.dynamic])), " as dynamic blocks, which the gate's rules for ", r.type, " do not read."]),
	"Write the blocks literally (a list of blocks instead of an iterator), so the rules can judge them.",
) if {
	tf.is_cdktf
	some r in tf.resources
	is_object(r.values.dynamic)
	_security_relevant(allowlist.resources[r.type])
}

_security_relevant(entry) if entry.data == true

_security_relevant(entry) if count(entry.rules) > 0
