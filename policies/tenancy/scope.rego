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
