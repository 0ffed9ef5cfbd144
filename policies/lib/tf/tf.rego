# METADATA
# title: Terraform input layer
# description: |
#   Normalises the three input shapes the gate sees into one resource list, so that the concern
#   packages never look at the raw input:
#     (a) cdktf `cdk.tf.json`: `input.resource.<type>.<name>`; single nested blocks are objects where
#         plan JSON has arrays; `"//"` keys are cdktf metadata (`"//".metadata.path` = construct path);
#     (b) Terraform plan JSON (`terraform show -json`): `input.resource_changes[]`, values in
#         `change.after`, unknown values missing from `after` and `true` in `after_unknown`;
#     (c) HCP Terraform's policy input: the same plan under `input.plan`.
#   Each resource is `{type, name, address, values, construct_path}`. Values known only after apply
#   are the string `unknown_value` (so "is it set?" checks pass and "is it this literal?" checks fail).
#   Nested blocks: always read them through `blocks(obj, key)`, which answers a list in both shapes.
package lib.tf

import rego.v1

# The placeholder for a value Terraform knows only after apply.
unknown_value := "(known after apply)"

is_cdktf if is_object(input.resource)

is_hcp if is_array(input.plan.resource_changes)

is_plan if is_array(input.resource_changes)

is_plan if is_hcp

# The plan document: the whole input for plan JSON, `input.plan` for HCP Terraform.
plan := input.plan if is_hcp

plan := input if {
	not is_hcp
	is_array(input.resource_changes)
}

# Name of the stack as cdktf records it (empty for plan input).
stack_name := object.get(input, ["//", "metadata", "stackName"], "")

# METADATA
# description: |
#   Every managed resource in the input, normalised: an array, not a set. Iterating a set of objects
#   in the compiled (wasm) gate hashes each whole element at every step, which made the gate spend
#   most of its time hashing resources; an array iterates by index. Addresses are unique in both
#   input shapes, so the array holds no duplicates.
resources := array.concat(_cdktf_resources, _plan_resources)

_cdktf_resources := [r |
	is_cdktf
	some type, group in input.resource
	type != "//"
	is_object(group)
	some name, raw in group
	name != "//"
	r := {
		"type": type,
		"name": name,
		"address": concat(".", [type, name]),
		"values": object.remove(raw, ["//"]),
		"construct_path": object.get(raw, ["//", "metadata", "path"], ""),
	}
]

_plan_resources := [r |
	some rc in plan.resource_changes
	object.get(rc, "mode", "managed") == "managed"
	not deleted(rc)
	after := object.get(rc, ["change", "after"], {})
	unknown := object.get(rc, ["change", "after_unknown"], {})
	r := {
		"type": rc.type,
		"name": rc.name,
		"address": rc.address,
		"values": _merge_unknown(_obj(after), _obj(unknown)),
		"construct_path": "",
	}
]

deleted(rc) if rc.change.actions == ["delete"]

_obj(x) := x if is_object(x)

else := {}

_at(a, i) := a[i] if is_array(a)

else := null

# Unknown values (`after_unknown`) merged into `after`. Rego has no recursion, so one function per
# nesting level; eight levels cover every attribute the concern packages read
# (e.g. encryption_config[0].provider[0].key_arn is five).
_merge_unknown(after, unknown) := _u0(after, unknown)

_u0(a, u) := unknown_value if {
	u == true
} else := [_u1(_at(a, j), x) | some j, x in u] if {
	is_array(u)
} else := object.union(_obj(a), {k: v |
	some k, x in u
	v := _u1(object.get(_obj(a), k, null), x)
	v != null
}) if {
	is_object(u)
} else := a

_u1(a, u) := unknown_value if {
	u == true
} else := [_u2(_at(a, j), x) | some j, x in u] if {
	is_array(u)
} else := object.union(_obj(a), {k: v |
	some k, x in u
	v := _u2(object.get(_obj(a), k, null), x)
	v != null
}) if {
	is_object(u)
} else := a

_u2(a, u) := unknown_value if {
	u == true
} else := [_u3(_at(a, j), x) | some j, x in u] if {
	is_array(u)
} else := object.union(_obj(a), {k: v |
	some k, x in u
	v := _u3(object.get(_obj(a), k, null), x)
	v != null
}) if {
	is_object(u)
} else := a

_u3(a, u) := unknown_value if {
	u == true
} else := [_u4(_at(a, j), x) | some j, x in u] if {
	is_array(u)
} else := object.union(_obj(a), {k: v |
	some k, x in u
	v := _u4(object.get(_obj(a), k, null), x)
	v != null
}) if {
	is_object(u)
} else := a

_u4(a, u) := unknown_value if {
	u == true
} else := [_u5(_at(a, j), x) | some j, x in u] if {
	is_array(u)
} else := object.union(_obj(a), {k: v |
	some k, x in u
	v := _u5(object.get(_obj(a), k, null), x)
	v != null
}) if {
	is_object(u)
} else := a

_u5(a, u) := unknown_value if {
	u == true
} else := [_u6(_at(a, j), x) | some j, x in u] if {
	is_array(u)
} else := object.union(_obj(a), {k: v |
	some k, x in u
	v := _u6(object.get(_obj(a), k, null), x)
	v != null
}) if {
	is_object(u)
} else := a

_u6(a, u) := unknown_value if {
	u == true
} else := [_u7(_at(a, j), x) | some j, x in u] if {
	is_array(u)
} else := object.union(_obj(a), {k: v |
	some k, x in u
	v := _u7(object.get(_obj(a), k, null), x)
	v != null
}) if {
	is_object(u)
} else := a

_u7(a, u) := unknown_value if u == true

else := a

# METADATA
# scope: document
# description: |
#   The nested blocks named key of obj as a list: cdktf writes a single block as an object, plan
#   JSON always as a list.
blocks(obj, key) := [obj[key]] if {
	is_object(obj[key])
} else := [b | some b in obj[key]; is_object(b)] if {
	is_array(obj[key])
} else := []

# The first block named key, or an empty object.
block(obj, key) := blocks(obj, key)[0] if {
	count(blocks(obj, key)) > 0
} else := {}

# A value written as a Terraform expression (`${...}`) in cdk.tf.json, or unknown until apply.
is_expression(v) if {
	is_string(v)
	contains(v, "${")
}

is_expression(v) if v == unknown_value

# A non-empty string (a literal, an expression or a value known after apply).
present(v) if {
	is_string(v)
	trim_space(v) != ""
}

# METADATA
# scope: document
# description: |
#   r references the resource at target (an address such as `aws_s3_bucket.backups`) in attribute attr:
#   a `${target.…}` expression in cdk.tf.json, or a configuration reference in plan JSON, or an equal
#   known value (e.g. the bucket name) in plan JSON.
references(r, attr, target) if {
	is_string(r.values[attr])
	contains(r.values[attr], concat("", ["${", target.address, "."]))
}

references(r, attr, target) if {
	is_string(r.values[attr])
	contains(r.values[attr], concat("", ["${", target.address, "}"]))
}

references(r, attr, target) if {
	some cr in plan.configuration.root_module.resources
	cr.address == r.address
	some ref in cr.expressions[attr].references
	_ref_matches(ref, target.address)
}

references(r, attr, target) if {
	is_plan
	v := r.values[attr]
	not is_expression(v)
	present(v)
	v in {target.values.bucket, target.values.id, target.values.name}
}

_ref_matches(ref, address) if ref == address

_ref_matches(ref, address) if startswith(ref, concat("", [address, "."]))

# METADATA
# scope: document
# description: |
#   Provider configurations: {name, alias, address, region, default_tags}. region is the literal
#   region, or "" when it is not written as a literal.
provider_configs contains p if {
	is_cdktf
	some name, configs in object.get(input, "provider", {})
	some cfg in _as_list(configs)
	alias := object.get(cfg, "alias", "")
	p := {
		"name": name,
		"alias": alias,
		"address": _provider_address(name, alias),
		"construct_path": "",
		"region": _literal(object.get(cfg, "region", "")),
		"default_tags": object.get(block(cfg, "default_tags"), "tags", {}),
	}
}

provider_configs contains p if {
	some cfg in plan.configuration.provider_config
	alias := object.get(cfg, "alias", "")
	exprs := object.get(cfg, "expressions", {})
	p := {
		"name": cfg.name,
		"alias": alias,
		"address": _provider_address(cfg.name, alias),
		"construct_path": "",
		"region": _plan_expression_value(object.get(exprs, "region", {})),
		"default_tags": _plan_default_tags(exprs),
	}
}

_as_list(x) := x if is_array(x)

else := [x]

_provider_address(name, "") := concat(".", ["provider", name])

_provider_address(name, alias) := concat(".", ["provider", name, alias]) if alias != ""

_literal(v) := v if {
	is_string(v)
	not is_expression(v)
} else := ""

# A provider argument in plan JSON: a constant, or a root variable's value, or "".
_plan_expression_value(expr) := expr.constant_value if {
	is_string(expr.constant_value)
} else := v if {
	[ref] := expr.references
	startswith(ref, "var.")
	v := plan.variables[substring(ref, 4, -1)].value
	is_string(v)
} else := ""

_plan_default_tags(exprs) := tags if {
	some dt in exprs.default_tags
	tags := dt.tags.constant_value
	is_object(tags)
} else := {}

# Default tags that every AWS resource in this input inherits (union over aws provider blocks).
aws_default_tags[k] := v if {
	some p in provider_configs
	p.name == "aws"
	p.alias == ""
	some k, v in p.default_tags
}

# The tags a resource carries: its own tags, tags_all (plan JSON) and, for AWS, provider default tags.
effective_tags(r) := tags if {
	startswith(r.type, "aws_")
	inherited := object.union(aws_default_tags, _obj(object.get(r.values, "tags_all", {})))
	tags := object.union(inherited, _obj(object.get(r.values, "tags", {})))
}

effective_tags(r) := _obj(object.get(r.values, "tags", {})) if not startswith(r.type, "aws_")

# Kubernetes resources: metadata of a typed resource (kubernetes_*) or of a kubernetes_manifest.
k8s_metadata(r) := block(r.values, "metadata") if {
	startswith(r.type, "kubernetes_")
	r.type != "kubernetes_manifest"
}

k8s_metadata(r) := _obj(object.get(r.values, ["manifest", "metadata"], {})) if r.type == "kubernetes_manifest"

# The Kubernetes kind of r: from a kubernetes_manifest, or from the typed resource's name.
k8s_kind(r) := r.values.manifest.kind if r.type == "kubernetes_manifest"

k8s_kind(r) := _typed_kind_by_type[r.type]

# Every typed resource name (with its _v1 / _v2 variants) to its kind, built once per evaluation:
# k8s_kind is asked for every resource by several concerns.
_typed_kind_by_type[name] := kind if {
	some type, kind in _typed_kinds
	some name in [type, concat("", [type, "_v1"]), concat("", [type, "_v2"])]
}

_typed_kinds := {
	"kubernetes_service": "Service",
	"kubernetes_ingress": "Ingress",
	"kubernetes_resource_quota": "ResourceQuota",
	"kubernetes_limit_range": "LimitRange",
	"kubernetes_network_policy": "NetworkPolicy",
	"kubernetes_namespace": "Namespace",
	"kubernetes_config_map": "ConfigMap",
	"kubernetes_secret": "Secret",
	"kubernetes_deployment": "Deployment",
	"kubernetes_stateful_set": "StatefulSet",
	"kubernetes_daemon_set": "DaemonSet",
	"kubernetes_job": "Job",
	"kubernetes_cron_job": "CronJob",
	"kubernetes_pod": "Pod",
	"kubernetes_service_account": "ServiceAccount",
	"kubernetes_role": "Role",
	"kubernetes_role_binding": "RoleBinding",
	"kubernetes_horizontal_pod_autoscaler": "HorizontalPodAutoscaler",
	"kubernetes_pod_disruption_budget": "PodDisruptionBudget",
}

# The spec of a Kubernetes resource (typed: the spec block; manifest: manifest.spec).
k8s_spec(r) := _obj(object.get(r.values, ["manifest", "spec"], {})) if r.type == "kubernetes_manifest"

k8s_spec(r) := block(r.values, "spec") if {
	startswith(r.type, "kubernetes_")
	r.type != "kubernetes_manifest"
}

# METADATA
# description: |
#   The values documents of a helm_release, parsed: each `values` entry (YAML or JSON string) that
#   parses to an object; anything else is skipped (Helm itself would refuse it).
helm_values(r) := _helm_documents[r.address]

# Parsed once per evaluation, by resource address.
_helm_documents[r.address] := [doc |
	some s in object.get(r.values, "values", [])
	is_string(s)
	doc := yaml.unmarshal(s)
	is_object(doc)
] if {
	some r in resources
	r.type == "helm_release"
}

# helm_release `set` / `set_sensitive` entries as {name, value, sensitive}.
helm_sets(r) := array.concat(
	[{"name": s.name, "value": object.get(s, "value", null), "sensitive": false} |
		some s in blocks(r.values, "set")
	],
	[{"name": s.name, "value": object.get(s, "value", null), "sensitive": true} |
		some s in blocks(r.values, "set_sensitive")
	],
)

# The data contract (lib/policy/types.ts): data.environment and data.stack, or {} when absent.
default environment := {}

environment := data.environment if is_object(data.environment)

default stack := {}

stack := data.stack if is_object(data.stack)

# METADATA
# scope: document
# description: |
#   r carries tags: it has a tags/tags_all attribute in its values (null counts: plan JSON writes
#   unset tags as null), or its type is one the provider schema gives `tags` (for values that omit it).
taggable(r) if {
	_cloud_resource(r)
	some key in ["tags", "tags_all"]
	_has_key(r.values, key)
}

taggable(r) if r.type in _aws_taggable

taggable(r) if r.type in _azure_taggable

_cloud_resource(r) if startswith(r.type, "aws_")

_cloud_resource(r) if startswith(r.type, "azurerm_")

_has_key(obj, key) if {
	some k, _ in obj
	k == key
}

# Types the platform creates whose schema has `tags` (hashicorp/aws 5.100.0).
_aws_taggable := {
	"aws_vpc", "aws_subnet", "aws_route_table", "aws_security_group", "aws_vpc_endpoint",
	"aws_network_acl", "aws_eip", "aws_nat_gateway", "aws_internet_gateway", "aws_flow_log",
	"aws_eks_cluster", "aws_eks_node_group", "aws_eks_addon", "aws_eks_access_entry",
	"aws_eks_pod_identity_association", "aws_launch_template", "aws_instance", "aws_ebs_volume",
	"aws_kms_key", "aws_s3_bucket", "aws_ecr_repository", "aws_cloudwatch_log_group",
	"aws_secretsmanager_secret", "aws_iam_role", "aws_iam_policy", "aws_iam_openid_connect_provider",
	"aws_dynamodb_table", "aws_lb", "aws_alb", "aws_lb_target_group", "aws_sqs_queue",
	"aws_route53_zone", "aws_backup_vault", "aws_backup_plan", "aws_efs_file_system",
}

# Types the platform creates whose schema has `tags` (azurerm 4.55.0).
_azure_taggable := {
	"azurerm_resource_group", "azurerm_virtual_network", "azurerm_network_security_group",
	"azurerm_route_table", "azurerm_private_endpoint", "azurerm_private_dns_zone",
	"azurerm_private_dns_zone_virtual_network_link", "azurerm_user_assigned_identity",
	"azurerm_key_vault", "azurerm_key_vault_key", "azurerm_disk_encryption_set",
	"azurerm_kubernetes_cluster", "azurerm_kubernetes_cluster_node_pool", "azurerm_container_registry",
	"azurerm_storage_account", "azurerm_log_analytics_workspace", "azurerm_public_ip",
	"azurerm_firewall", "azurerm_nat_gateway", "azurerm_application_insights",
}
