package tenancy_test

import rego.v1

import data.lib.testutil as t

test_not_applied_to_other_stacks if {
	t.clean("aws_workloads", "tenancy.resource_quota")
	t.clean("aws_platform", "tenancy.tenant_label")
}

test_tenant_id_compliant if t.clean("aws_tenant", "tenancy.tenant_id")

test_tenant_id_violation if {
	every stack in [
		{"name": "uae-prod-tenant-acme", "kind": "tenant"},
		{"name": "uae-prod-tenant-acme", "kind": "tenant", "tenantId": "Not Valid"},
	] {
		rep := t.report_with(data.fixtures.aws_tenant, t.contract.environments.aws, stack)
		t.denied(rep, "tenancy.tenant_id", "stack.uae-prod-tenant-acme")
	}
}

test_resource_quota_compliant if t.clean("aws_tenant", "tenancy.resource_quota")

test_resource_quota_violation if {
	rep := t.patched("aws_tenant", [t.remove("/resource/kubernetes_resource_quota_v1")])
	t.denied(rep, "tenancy.resource_quota", "stack.uae-prod-tenant-acme")
}

test_resource_quota_manifest_compliant if {
	rep := t.patched("aws_tenant", [
		t.remove("/resource/kubernetes_resource_quota_v1"),
		t.set("/resource/kubernetes_manifest", {"quota": {"manifest": {
			"apiVersion": "v1", "kind": "ResourceQuota",
			"metadata": {"name": "q", "namespace": "tenant-acme", "labels": {"tenant_id": "acme"}},
			"spec": {"hard": {"pods": "10"}},
		}}}),
	])
	not "tenancy.resource_quota" in t.rules(rep)
	not "tenancy.tenant_label" in t.rules(rep)
}

test_limit_range_compliant if t.clean("aws_tenant", "tenancy.limit_range")

test_limit_range_violation if {
	rep := t.patched("aws_tenant", [t.remove("/resource/kubernetes_limit_range_v1")])
	t.denied(rep, "tenancy.limit_range", "stack.uae-prod-tenant-acme")
}

test_network_policy_compliant if t.clean("aws_tenant", "tenancy.network_policy")

test_network_policy_violation if {
	rep := t.patched("aws_tenant", [t.remove("/resource/kubernetes_network_policy_v1")])
	t.denied(rep, "tenancy.network_policy", "stack.uae-prod-tenant-acme")
}

test_llm_budget_compliant if t.clean("aws_tenant", "tenancy.llm_budget")

test_llm_budget_violation if {
	every budget in ["", "0", "lots"] {
		rep := t.patched("aws_tenant", [t.set("/resource/kubernetes_config_map_v1/llm_budget/metadata/labels/rag.platform~1budget", budget)])
		t.denied(rep, "tenancy.llm_budget", "stack.uae-prod-tenant-acme")
	}
}

test_tenant_label_compliant if t.clean("aws_tenant", "tenancy.tenant_label")

test_tenant_label_kubernetes_violation if {
	rep := t.patched("aws_tenant", [t.set("/resource/kubernetes_namespace_v1/tenant/metadata/labels/tenant_id", "other")])
	t.denied(rep, "tenancy.tenant_label", "kubernetes_namespace_v1.tenant")
}

test_tenant_label_cloud_violation if {
	rep := t.patched("aws_tenant", [t.remove("/provider/aws/0/default_tags/0/tags/tenant_id")])
	t.denied(rep, "tenancy.tenant_label", "aws_secretsmanager_secret.litellm_key")
}

test_network_policy_that_may_not_exist_violation if {
	rep := t.patched("aws_tenant", [t.set("/resource/kubernetes_network_policy_v1/tenant_default_deny/count", "${var.isolate ? 1 : 0}")])
	t.denied(rep, "tenancy.network_policy", "stack.uae-prod-tenant-acme")
}

_np_path := "/resource/kubernetes_network_policy_v1/tenant_default_deny/spec"

_np_spec(extra) := object.union({"pod_selector": {}, "policy_types": ["Ingress", "Egress"]}, extra)

test_scope_allow_all_network_policy_violation if {
	every extra in [
		{"ingress": [{}]},
		{"egress": [{"ports": [{"port": "443"}]}]},
		{"egress": [{"to": [{"namespace_selector": {}}]}]},
		{"ingress": [{"from": [{"ip_block": {"cidr": "0.0.0.0/0"}}]}]},
	] {
		rep := t.patched("aws_tenant", [t.set(_np_path, _np_spec(extra))])
		t.denied(rep, "tenancy.scope", "kubernetes_network_policy_v1.tenant_default_deny")
	}
}

test_scope_manifest_allow_all_network_policy_violation if {
	manifest := {"manifest": {
		"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
		"metadata": {"name": "open", "namespace": "tenant-acme", "labels": {"tenant_id": "acme"}},
		"spec": {"podSelector": {}, "egress": [{"to": [{"namespaceSelector": {}}]}]},
	}}
	rep := t.patched("aws_tenant", [t.set("/resource/kubernetes_manifest", {"open": manifest})])
	t.denied(rep, "tenancy.scope", "kubernetes_manifest.open")
}

test_scope_named_peers_compliant if {
	peer := {"namespace_selector": {"match_labels": {"kubernetes.io/metadata.name": "llm-gateway"}}}
	rep := t.patched("aws_tenant", [t.set(_np_path, _np_spec({"egress": [{"to": [peer], "ports": [{"port": "4000"}]}]}))])
	not t.denied(rep, "tenancy.scope", "kubernetes_network_policy_v1.tenant_default_deny")
}

test_scope_cluster_admin_binding_violation if {
	binding := {
		"metadata": {"name": "x", "namespace": "tenant-acme", "labels": {"tenant_id": "acme"}},
		"role_ref": {"api_group": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"},
		"subject": [{"kind": "ServiceAccount", "name": "default", "namespace": "tenant-acme"}],
	}
	rep := t.patched("aws_tenant", [t.set("/resource/kubernetes_role_binding_v1", {"x": binding})])
	t.denied(rep, "tenancy.scope", "kubernetes_role_binding_v1.x")
}

test_scope_other_tenants_state_violation if {
	other := {"backend": "s3", "config": {"bucket": "b", "key": "uae-prod/uae-prod-tenant-other.tfstate", "region": "me-central-1"}}
	own := {"backend": "s3", "config": {"bucket": "b", "key": "uae-prod/uae-prod-tenant-acme.tfstate", "region": "me-central-1"}}
	platform := {"backend": "s3", "config": {"bucket": "b", "key": "uae-prod/uae-prod-platform.tfstate", "region": "me-central-1"}}
	rep := t.patched("aws_tenant", [t.set("/data", {"terraform_remote_state": {"other": other, "own": own, "platform": platform}})])
	t.denied(rep, "tenancy.scope", "data.terraform_remote_state.other")
	not t.denied(rep, "tenancy.scope", "data.terraform_remote_state.own")
	not t.denied(rep, "tenancy.scope", "data.terraform_remote_state.platform")
}

# Names: another tenant's namespace, secret path or name, identity or label, in any attribute.
_scope := "tenancy.scope"

_egress_to(namespace) := [{"to": [{"namespace_selector": {"match_labels": {"kubernetes.io/metadata.name": namespace}}}]}]

test_scope_names_compliant if {
	t.clean("aws_tenant", _scope)
	rep := t.patched("aws_tenant", [
		t.set("/resource/aws_secretsmanager_secret/litellm_key/name", "rag/uae-prod/tenants/acme/litellm-key"),
		t.set("/resource/aws_secretsmanager_secret/litellm_key/description", "rag-uae-prod-tenants-acme-litellm-key for uae-prod-tenant-acme"),
		t.set("/resource/kubernetes_limit_range_v1/tenant/metadata/namespace", "llm-gateway"),
		t.set("/resource/kubernetes_resource_quota_v1/tenant/metadata/namespace", "${kubernetes_namespace_v1.tenant.metadata[0].name}"),
		t.set("/resource/kubernetes_network_policy_v1/tenant_default_deny/spec/egress", _egress_to("kube-system")),
		t.set("/resource/kubernetes_config_map_v1/llm_budget/data/tenant_id", "an Azure AD tenant, not a label"),
	])
	not _scope in t.rules(rep)
}

test_scope_other_tenants_names_violation if {
	every patch in [
		["/resource/aws_secretsmanager_secret/litellm_key/name", "rag/uae-prod/tenants/globex/litellm-key", "aws_secretsmanager_secret.litellm_key"],
		["/resource/aws_secretsmanager_secret/litellm_key/name", "rag/uae-prod/tenants/*", "aws_secretsmanager_secret.litellm_key"],
		["/resource/aws_secretsmanager_secret/litellm_key/description", "rag-uae-prod-tenants-globex-litellm-key", "aws_secretsmanager_secret.litellm_key"],
		["/resource/aws_secretsmanager_secret/litellm_key/policy", "{\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:role/uae-prod-tenant-${var.t}\"}}", "aws_secretsmanager_secret.litellm_key"],
		["/resource/kubernetes_limit_range_v1/tenant/metadata/namespace", "tenant-globex", "kubernetes_limit_range_v1.tenant"],
		["/resource/kubernetes_limit_range_v1/tenant/metadata/namespace", "kube-system", "kubernetes_limit_range_v1.tenant"],
		["/resource/kubernetes_limit_range_v1/tenant/metadata/labels/tenant_id", "globex", "kubernetes_limit_range_v1.tenant"],
		["/resource/kubernetes_network_policy_v1/tenant_default_deny/spec/egress", _egress_to("tenant-globex"), "kubernetes_network_policy_v1.tenant_default_deny"],
	] {
		rep := t.patched("aws_tenant", [t.set(patch[0], patch[1])])
		t.denied(rep, _scope, patch[2])
	}
}
