package classification_test

import rego.v1

import data.classification.allowlist
import data.lib.testutil as t

_rule := "classification.unclassified"

test_compliant_fixtures_are_classified if {
	t.clean("aws_platform", _rule)
	t.clean("azure_platform", _rule)
	t.clean("aws_workloads", _rule)
	t.clean("aws_tenant", _rule)
	t.clean("aws_plan", _rule)
}

test_unclassified_resource_type_violation if {
	rep := t.patched("aws_platform", [t.set("/resource/aws_backup_plan", {"copy": {"name": "x"}})])
	t.denied(rep, _rule, "aws_backup_plan.copy")
}

test_unclassified_resource_in_plan_violation if {
	rep := t.patched("aws_plan", [t.set("/resource_changes/0/type", "aws_dynamodb_table")])
	some f in rep.denies
	f.rule == _rule
	contains(f.message, "aws_dynamodb_table")
}

test_resource_in_wrong_stack_kind_violation if {
	rep := t.patched("aws_tenant", [t.set("/resource/aws_vpc", {"other": {"cidr_block": "10.1.0.0/16"}})])
	t.denied(rep, _rule, "aws_vpc.other")
}

test_resource_of_other_cloud_violation if {
	rep := t.patched("aws_platform", [t.set("/resource/azurerm_resource_group", {"x": {"name": "x", "location": "uaenorth"}})])
	t.denied(rep, _rule, "azurerm_resource_group.x")
}

test_unclassified_manifest_kind_violation if {
	manifest := {"manifest": {"apiVersion": "velero.io/v1", "kind": "Schedule", "metadata": {"name": "copy", "namespace": "velero"}}}
	rep := t.patched("aws_workloads", [t.set("/resource/kubernetes_manifest", {"schedule": manifest})])
	t.denied(rep, _rule, "kubernetes_manifest.schedule")
}

test_manifest_kind_expression_violation if {
	manifest := {"manifest": {"apiVersion": "v1", "kind": "${var.kind}", "metadata": {"name": "x", "namespace": "x"}}}
	rep := t.patched("aws_workloads", [t.set("/resource/kubernetes_manifest", {"x": manifest})])
	t.denied(rep, _rule, "kubernetes_manifest.x")
}

test_manifest_in_wrong_stack_kind_violation if {
	manifest := {"manifest": {"apiVersion": "external-secrets.io/v1", "kind": "ClusterSecretStore", "metadata": {"name": "all"}}}
	rep := t.patched("aws_tenant", [t.set("/resource/kubernetes_manifest", {"store": manifest})])
	t.denied(rep, _rule, "kubernetes_manifest.store")
}

test_cilium_network_policy_compliant if {
	manifest := {"manifest": {"apiVersion": "cilium.io/v2", "kind": "CiliumNetworkPolicy", "metadata": {"name": "allow-keda-to-api-server", "namespace": "keda"}}}
	rep := t.patched("aws_workloads", [t.set("/resource/kubernetes_manifest", {"cnp": manifest})])
	not t.denied(rep, _rule, "kubernetes_manifest.cnp")
}

test_cilium_network_policy_outside_cluster_stacks_violation if {
	manifest := {"manifest": {"apiVersion": "cilium.io/v2", "kind": "CiliumNetworkPolicy", "metadata": {"name": "x", "namespace": "x"}}}
	rep := t.patched("aws_platform", [t.set("/resource/kubernetes_manifest", {"cnp": manifest})])
	t.denied(rep, _rule, "kubernetes_manifest.cnp")
}

test_classified_manifest_compliant if {
	manifest := {"manifest": {"apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret", "metadata": {"name": "x", "namespace": "acme", "labels": {"tenant_id": "acme"}}}}
	rep := t.patched("aws_tenant", [t.set("/resource/kubernetes_manifest", {"secret": manifest})])
	not t.denied(rep, _rule, "kubernetes_manifest.secret")
}

test_unclassified_data_source_violation if {
	rep := t.patched("aws_platform", [t.set("/data", {"aws_s3_object": {"other": {"bucket": "elsewhere", "key": "k"}}})])
	t.denied(rep, _rule, "data.aws_s3_object.other")
}

test_data_source_in_wrong_stack_kind_violation if {
	rep := t.patched("aws_platform", [t.set("/data", {"azurerm_client_config": {"current": {}}})])
	t.denied(rep, _rule, "data.azurerm_client_config.current")
}

test_data_source_in_plan_violation if {
	rep := t.patched("aws_plan", [t.set("/configuration/root_module/resources", [{"address": "data.aws_s3_object.x", "mode": "data", "type": "aws_s3_object", "name": "x"}])])
	t.denied(rep, _rule, "data.aws_s3_object.x")
}

test_unclassified_provider_violation if {
	rep := t.patched("aws_platform", [t.set("/provider/awscc", [{"region": "me-central-1"}])])
	t.denied(rep, _rule, "provider.awscc")
}

test_required_provider_unclassified_violation if {
	rep := t.patched("aws_platform", [t.set("/terraform/required_providers/null", {"source": "hashicorp/null"})])
	t.denied(rep, _rule, "terraform.required_providers.null")
}

test_required_provider_foreign_source_violation if {
	rep := t.patched("aws_platform", [t.set("/terraform/required_providers/aws", {"source": "evil-corp/aws", "version": "1.0.0"})])
	t.denied(rep, _rule, "terraform.required_providers.aws")
}

test_provider_in_wrong_cloud_violation if {
	rep := t.patched("aws_platform", [t.set("/provider/azurerm", [{"features": {}}])])
	t.denied(rep, _rule, "provider.azurerm")
}

test_plan_provider_violation if {
	rep := t.patched("aws_plan", [t.set("/configuration/provider_config/awscc", {"name": "awscc", "full_name": "registry.terraform.io/hashicorp/awscc"})])
	t.denied(rep, _rule, "provider.awscc")
}

test_cloud_backend_violation if {
	rep := t.patched("aws_platform", [t.set("/terraform/cloud", {"organization": "someone", "workspaces": {"name": "x"}})])
	t.denied(rep, _rule, "terraform.cloud")
}

test_unclassified_backend_violation if {
	rep := t.patched("aws_platform", [t.set("/terraform/backend", {"remote": {"hostname": "app.terraform.io"}})])
	t.denied(rep, _rule, "terraform.backend.remote")
}

test_local_backend_outside_state_stack_violation if {
	rep := t.patched("aws_platform", [t.set("/terraform/backend", {"local": {"path": "x.tfstate"}})])
	t.denied(rep, _rule, "terraform.backend.local")
}

test_module_block_violation if {
	rep := t.patched("aws_platform", [t.set("/module", {"vpc": {"source": "terraform-aws-modules/vpc/aws"}})])
	t.denied(rep, _rule, "module")
}

test_terraform_setting_violation if {
	rep := t.patched("aws_platform", [t.set("/terraform/provider_meta", {"aws": {}})])
	t.denied(rep, _rule, "terraform.provider_meta")
}

test_every_entry_names_kinds_of_stacks if {
	kinds := {"state", "platform", "addons", "workloads", "tenant"}
	tables := [allowlist.resources, allowlist.data_sources, allowlist.provider_names, allowlist.backends, allowlist.manifests]
	every table in tables {
		every name, entry in table {
			count(entry.kinds) > 0
			every k in entry.kinds {
				k in kinds
			}
			name != ""
		}
	}
}

test_data_bearing_entries_name_their_rules if {
	unjudged := [name |
		some name, entry in object.union(allowlist.resources, allowlist.manifests)
		entry.data
		count(entry.rules) == 0
	]
	unjudged == []
}

_dynamic_replication := {"replication_configuration": {"for_each": "${var.replicas}", "content": {"role": "x"}}}

test_dynamic_block_violation if {
	rep := t.patched("aws_platform", [t.set("/resource/aws_s3_bucket/backups/dynamic", _dynamic_replication)])
	t.denied(rep, "classification.dynamic_block", "aws_s3_bucket.backups")
}

test_dynamic_block_compliant if {
	t.clean("aws_platform", "classification.dynamic_block")

	# aws_kms_alias has no rules and holds no data: nothing a dynamic block could hide from a rule.
	rep := t.patched("aws_platform", [t.set("/resource/aws_kms_alias", {"platform": {"name": "alias/p", "target_key_id": "k", "dynamic": {"x": {"for_each": [], "content": {}}}}})])
	not "classification.dynamic_block" in t.rules(rep)
}
