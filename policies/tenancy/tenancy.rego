# METADATA
# title: Tenancy
# description: |
#   Applies to tenant stacks only (data.stack.kind == "tenant"). One tenant id propagates through
#   every layer and fails by default: a tenant stack must name its tenant (data.stack.tenantId), and
#   contain a ResourceQuota, a LimitRange, a NetworkPolicy and a LiteLLM budget; everything it
#   creates carries the tenant_id label (Kubernetes) or tag (cloud resources).
#
#   How the LiteLLM budget is recognised: a Kubernetes object in the tenant stack (typed kubernetes_*
#   resource or kubernetes_manifest) whose metadata labels or annotations carry
#   `rag.platform/budget` with a positive number (the tenant's budget in USD per budget period).
#   The tenant construct puts it on the object that provisions the tenant's LiteLLM key (e.g. the
#   key-provisioning Job or its ConfigMap), so the budget is visible in the synthesized JSON.
package tenancy

import rego.v1

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

budget_key := "rag.platform/budget"

tenant_id := object.get(tf.stack, "tenantId", "")

_tenant_stack if tf.stack.kind == "tenant"

_stack_name := object.get(tf.stack, "name", "")

_valid_tenant_id if regex.match(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`, tenant_id)

# tenancy.tenant_id: a tenant stack names its tenant; there is no default tenant.
raw_finding contains findings.stack_finding(
	"tenancy.tenant_id", "critical",
	concat("", ["Tenant stack ", _stack_name, " has no valid tenantId ('", tenant_id, "'); there is no default tenant."]),
	"Pass the tenant's id (lower-case letters, digits, '-') as stack.tenantId.",
) if {
	_tenant_stack
	not _valid_tenant_id
}

_required_kinds := {
	"tenancy.resource_quota": {"ResourceQuota"},
	"tenancy.limit_range": {"LimitRange"},
	"tenancy.network_policy": {"NetworkPolicy", "CiliumNetworkPolicy"},
}

_required_fix := {
	"tenancy.resource_quota": "Add a kubernetes_resource_quota_v1 in the tenant's namespace (cpu, memory, GPU, pods).",
	"tenancy.limit_range": "Add a kubernetes_limit_range_v1 in the tenant's namespace (default requests/limits).",
	"tenancy.network_policy": "Add a default-deny kubernetes_network_policy_v1 plus the explicit allows the architecture draws.",
}

# tenancy.resource_quota / tenancy.limit_range / tenancy.network_policy: the tenant is boxed in.
raw_finding contains findings.stack_finding(
	rule, "high",
	concat("", ["Tenant stack ", _stack_name, " has no ", concat(" or ", sort(kinds)), "."]),
	fix,
) if {
	_tenant_stack
	some rule, kinds in _required_kinds
	not _has_kind(kinds)
	fix := _required_fix[rule]
}

_has_kind(kinds) if {
	some r in tf.resources
	tf.k8s_kind(r) in kinds
	tf.exists(r)
}

# tenancy.llm_budget: the tenant's LiteLLM key has a budget.
raw_finding contains findings.stack_finding(
	"tenancy.llm_budget", "high",
	concat("", ["Tenant stack ", _stack_name, " declares no LiteLLM budget (no Kubernetes object labelled or annotated ", budget_key, " with a positive number)."]),
	concat("", ["Label the object that provisions the tenant's LiteLLM key with ", budget_key, ": \"<USD per period>\"."]),
) if {
	_tenant_stack
	not _has_budget
}

_has_budget if {
	some r in tf.resources
	startswith(r.type, "kubernetes_")
	some attr in ["labels", "annotations"]
	_positive_number(object.get(tf.k8s_metadata(r), [attr, budget_key], ""))
}

_positive_number(v) if {
	is_number(v)
	v > 0
}

_positive_number(v) if {
	is_string(v)
	regex.match(`^[0-9]+(\.[0-9]+)?$`, v)
	to_number(v) > 0
}

# tenancy.tenant_label: everything the tenant stack creates carries tenant_id = its tenant.
raw_finding contains findings.finding(
	"tenancy.tenant_label", "high", r,
	concat("", [r.address, " in tenant stack ", _stack_name, " has no ", _label_word(r), " tenant_id = \"", tenant_id, "\"."]),
	concat("", ["Add ", _label_word(r), " tenant_id = \"", tenant_id, "\" (cost attribution and isolation)."]),
) if {
	_tenant_stack
	_valid_tenant_id
	some r in tf.resources
	_labelable(r)
	not _tenant_labelled(r)
}

_label_word(r) := "label" if startswith(r.type, "kubernetes_")

else := "tag"

# Kubernetes helpers that target an existing object rather than create one carry no labels of their own.
_patch_types := {
	"kubernetes_labels", "kubernetes_annotations", "kubernetes_config_map_v1_data", "kubernetes_env",
	"kubernetes_node_taint", "kubernetes_default_service_account", "kubernetes_default_service_account_v1",
}

_labelable(r) if {
	startswith(r.type, "kubernetes_")
	not r.type in _patch_types
	count(tf.k8s_metadata(r)) > 0
}

_labelable(r) if tf.taggable(r)

_tenant_labelled(r) if {
	startswith(r.type, "kubernetes_")
	object.get(tf.k8s_metadata(r), ["labels", "tenant_id"], "") == tenant_id
}

_tenant_labelled(r) if {
	not startswith(r.type, "kubernetes_")
	object.get(tf.effective_tags(r), "tenant_id", "") == tenant_id
}
