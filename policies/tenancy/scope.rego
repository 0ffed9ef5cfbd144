# tenancy.scope: a tenant stack reaches only what is its own. Judged from the JSON: network peers of its
# NetworkPolicies (no rule that admits every peer), its RBAC (no binding to the cluster's admin roles)
# and the state it reads (terraform_remote_state of shared stacks or its own, never another tenant's).
package tenancy

import rego.v1

import data.lib.findings
import data.lib.tf

# NetworkPolicy rules (ingress `from` / egress `to`) that admit every peer: no peer list at all, an empty
# one, an empty namespace selector without a pod selector, or an ip block of the whole address space.
raw_finding contains findings.finding(
	"tenancy.scope", "critical", r,
	concat("", [r.address, " has a NetworkPolicy ", direction, " rule that admits every peer (", why, ")."]),
	"Name the peers: a namespace selector on kubernetes.io/metadata.name (and a pod selector), or the exact CIDR.",
) if {
	_tenant_stack
	some r in tf.resources
	tf.k8s_kind(r) == "NetworkPolicy"
	some [direction, peers_key] in [["ingress", "from"], ["egress", "to"]]
	some rule in _policy_rules(r, direction)
	some why in _open_peers(_peers(rule, peers_key))
}

_policy_rules(r, direction) := tf.blocks(tf.k8s_spec(r), direction) if r.type != "kubernetes_manifest"

_policy_rules(r, direction) := [x | some x in object.get(tf.k8s_spec(r), direction, []); is_object(x)] if r.type == "kubernetes_manifest"

_peers(rule, key) := tf.blocks(rule, key)

_open_peers(peers) := {"no peers listed"} if count(peers) == 0

_open_peers(peers) := {why |
	some peer in peers
	some why in _open_peer(peer)
} if {
	count(peers) > 0
}

_open_peer(peer) := {"an empty peer"} if count(peer) == 0

_open_peer(peer) := {"a namespace selector that selects every namespace"} if {
	ns := _selector(peer, "namespace")
	count(object.get(ns, _labels_key(ns), {})) == 0
	count(object.get(ns, _expressions_key(ns), [])) == 0
	count(_selector(peer, "pod")) == 0
}

_open_peer(peer) := {"an ip block of the whole address space"} if {
	block := object.union(tf.block(peer, "ip_block"), object.get(peer, "ipBlock", {}))
	object.get(block, "cidr", "") in {"0.0.0.0/0", "::/0"}
}

# Selectors in both spellings: typed resources (namespace_selector, match_labels) and manifests
# (namespaceSelector, matchLabels). A missing selector is undefined; an empty one is {}.
_selector(peer, "namespace") := tf.block(peer, "namespace_selector") if _has(peer, "namespace_selector")

_selector(peer, "namespace") := peer.namespaceSelector if _has(peer, "namespaceSelector")

_selector(peer, "pod") := tf.block(peer, "pod_selector") if _has(peer, "pod_selector")

_selector(peer, "pod") := peer.podSelector if _has(peer, "podSelector")

_selector(peer, "pod") := {} if {
	not _has(peer, "pod_selector")
	not _has(peer, "podSelector")
}

_has(obj, key) if {
	some k, _ in obj
	k == key
}

_labels_key(selector) := "matchLabels" if _has(selector, "matchLabels")

else := "match_labels"

_expressions_key(selector) := "matchExpressions" if _has(selector, "matchExpressions")

else := "match_expression"

# RBAC: no binding in a tenant stack grants the cluster's admin roles.
_admin_cluster_roles := {"cluster-admin", "admin", "edit"}

raw_finding contains findings.finding(
	"tenancy.scope", "critical", r,
	concat("", [r.address, " binds the ClusterRole ", role.name, ", which reaches beyond the tenant's namespace."]),
	"Bind a Role of the tenant's namespace that grants only what the workload needs.",
) if {
	_tenant_stack
	some r in tf.resources
	tf.k8s_kind(r) in {"RoleBinding", "ClusterRoleBinding"}
	role := _role_ref(r)
	object.get(role, "kind", "") == "ClusterRole"
	object.get(role, "name", "") in _admin_cluster_roles
}

_role_ref(r) := tf.block(r.values, "role_ref") if r.type != "kubernetes_manifest"

_role_ref(r) := object.get(r.values, ["manifest", "roleRef"], {}) if r.type == "kubernetes_manifest"

# State: a tenant stack reads shared stacks' state (and its own), never another tenant's.
raw_finding contains findings.finding(
	"tenancy.scope", "critical", d,
	concat("", [d.address, " reads the state '", key, "', which belongs to another tenant's stack."]),
	"Read only the platform's / shared stacks' outputs; exchange nothing between tenants through state.",
) if {
	_tenant_stack
	some d in tf.data_sources
	d.type == "terraform_remote_state"
	key := _state_key(d)
	contains(key, "-tenant-")
	not contains(key, concat("", [_stack_name, "."]))
}

_state_key(d) := k if {
	k := object.get(d.values, ["config", "key"], "")
	is_string(k)
	not tf.is_expression(k)
} else := "<not a literal>-tenant-"

# Names: a tenant stack names only its own tenant. Every string and key of its resources and data sources
# is read (metadata, RBAC subjects, IAM policy documents, secret paths, Helm values, tags), so another
# tenant's namespace, secret path, identity or label is denied wherever it is written. An expression or
# a wildcard where a tenant's name belongs is not provably the tenant's own: denied too.
raw_finding contains _foreign(r, what, value) if {
	some [i, path, key, value] in _tenant_name_candidates
	r := _stack_objects[i]
	what := _name_keys[key]
	_names(what, path, key)
	not _own_name(what, value)
}

raw_finding contains _foreign(r, what, concat("", [prefix, substring(rest, 0, 60)])) if {
	some [i, _, _, value] in _tenant_name_candidates
	r := _stack_objects[i]
	some what, prefix in _name_schemes
	contains(value, prefix)
	some n, rest in split(value, prefix)
	n > 0
	not regex.match(concat("", ["^", tenant_id, "([^a-z0-9]|$)"]), rest)
}

# The strings of the stack's objects that may name a tenant, found in one walk of each object (one walk
# for both rules above, and a cheap test before any scheme is tried; walking every object's values was
# most of the gate's CPU on a tenant stack): those under a key that names a namespace or the tenant label,
# and those that contain "tenant", as every naming scheme's prefix does. `i` indexes _stack_objects.
_tenant_name_candidates contains [i, path, key, value] if {
	_tenant_stack
	some i, r in _stack_objects
	walk(r.values, [path, parent])
	some key, value in parent
	is_string(value)
	_may_name_tenant(key, value)
}

_may_name_tenant(key, _) if _name_keys[key]

_may_name_tenant(_, value) if contains(value, "tenant")

# The keys a name is written under, and what the name is (see _names for where each counts).
_name_keys := {"namespace": "the namespace", "kubernetes.io/metadata.name": "the network peer namespace", "tenant_id": "the tenant label"}

_foreign(r, what, shown) := findings.finding(
	"tenancy.scope", "critical", r,
	concat("", [r.address, " names ", what, " '", shown, "', which is not tenant ", tenant_id, "'s own."]),
	concat("", [
		"A tenant stack uses only its namespace tenant-", tenant_id, " (and the platform's provisioning namespaces ",
		concat(", ", sort(_provisioning_namespaces)), "), its secret paths rag/<env>/tenants/", tenant_id,
		"/, its identities <env>-tenant-", tenant_id, " and the label tenant_id: ", tenant_id, ".",
	]),
)

_stack_objects := array.concat(tf.resources, [d | some d in tf.data_sources])

# Namespaces a tenant stack's provisioning objects live in (the contract of docs/tenancy.md): the LiteLLM
# key job (llm-gateway), the queue ACL (data) and the orchestrator's read binding (rag-platform).
_provisioning_namespaces := {"llm-gateway", "data", "rag-platform"}

_own_namespace := concat("", ["tenant-", tenant_id])

_env := object.get(tf.environment, "name", "")

# Names written under a key: where objects live or subjects are (`namespace`), network peers selected by
# the namespace name label, the tenant label (in labels, selectors, tags; `tenant_id` elsewhere is an
# Azure AD tenant). The name is the value under `key` in the object at `path`: the key is at hand
# without `path[count(path) - 1]` for every string (decimal arithmetic in the compiled policy).
_names("the namespace", _, "namespace")

_names("the network peer namespace", _, "kubernetes.io/metadata.name")

_names("the tenant label", path, "tenant_id") if {
	count(path) > 0
	path[count(path) - 1] in {"labels", "match_labels", "matchLabels", "tags", "tags_all"}
}

# Names written by a naming scheme: what follows the prefix must be the tenant's id.
_name_schemes := {
	"the secret path": concat("", ["rag/", _env, "/tenants/"]),
	"the secret name": concat("", ["rag-", _env, "-tenants-"]),
	"the identity": concat("", [_env, "-tenant-"]),
}

# (the second argument is the name found: a namespace, or the label value)
_own_name("the tenant label", ns) if ns == tenant_id

_own_name("the namespace", ns) if ns == _own_namespace

_own_name("the namespace", ns) if ns in _provisioning_namespaces

# Peers: the platform's namespaces (DNS, the services the tenant calls) are reachable; another tenant's
# namespace, or a name written as an expression, is not.
_own_name("the network peer namespace", ns) if {
	not startswith(ns, "tenant-")
	not tf.is_expression(ns)
}

_own_name("the network peer namespace", ns) if ns == _own_namespace

# A reference to a namespace this stack creates, itself named tenant-<id>.
_own_name("the namespace", ns) if ns in _own_namespace_references

# (Collected once: _own_name is asked for every namespace string of the stack.)
_own_namespace_references contains concat("", ["${", r.address, ".metadata[0].name}"]) if {
	some r in tf.resources
	r.type in {"kubernetes_namespace", "kubernetes_namespace_v1"}
	tf.k8s_metadata(r).name == _own_namespace
}
