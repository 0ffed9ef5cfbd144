package sovereignty_test

import rego.v1

import data.lib.testutil as t

test_aws_region_compliant if {
	t.clean("aws_platform", "sovereignty.aws_region")
	t.clean("aws_plan", "sovereignty.aws_region")
}

test_aws_region_violation if {
	rep := t.patched("aws_platform", [t.set("/provider/aws/0/region", "eu-west-1")])
	t.denied(rep, "sovereignty.aws_region", "provider.aws")
}

test_aws_region_missing_is_violation if {
	rep := t.patched("aws_platform", [t.remove("/provider/aws/0/region")])
	t.denied(rep, "sovereignty.aws_region", "provider.aws")
}

test_aws_region_backend_violation if {
	rep := t.patched("aws_workloads", [t.set("/terraform/backend/s3/region", "us-east-1")])
	t.denied(rep, "sovereignty.aws_region", "terraform.backend.s3")
}

test_aws_region_plan_variable_violation if {
	rep := t.patched("aws_plan", [t.set("/variables/region/value", "eu-central-1")])
	t.denied(rep, "sovereignty.aws_region", "provider.aws")
}

test_azure_location_compliant if t.clean("azure_platform", "sovereignty.azure_location")

test_azure_location_violation if {
	rep := t.patched("azure_platform", [t.set("/resource/azurerm_storage_account/backups/location", "West Europe")])
	t.denied(rep, "sovereignty.azure_location", "azurerm_storage_account.backups")
}

test_azure_location_display_name_compliant if {
	rep := t.patched("azure_platform", [t.set("/resource/azurerm_storage_account/backups/location", "UAE North")])
	not "sovereignty.azure_location" in t.rules(rep)
}

test_s3_replication_compliant if t.clean("aws_platform", "sovereignty.s3_replication")

test_s3_replication_violation if {
	rep := t.patched("aws_platform", [t.set("/resource/aws_s3_bucket_replication_configuration", {"backups": {
		"bucket": "${aws_s3_bucket.backups.id}",
		"role": "${aws_iam_role.cluster.arn}",
		"rule": [{"id": "all", "status": "Enabled", "destination": {"bucket": "arn:aws:s3:::copy"}}],
	}})])
	t.denied(rep, "sovereignty.s3_replication", "aws_s3_bucket_replication_configuration.backups")
}

test_s3_inline_replication_violation if {
	rep := t.patched("aws_platform", [t.set("/resource/aws_s3_bucket/backups/replication_configuration", {"role": "x", "rules": []})])
	t.denied(rep, "sovereignty.s3_replication", "aws_s3_bucket.backups")
}

_ecr_replication(region) := {"replication_configuration": {"rule": [{"destination": [{"region": region, "registry_id": "444455556666"}]}]}}

test_ecr_replication_compliant if {
	t.clean("aws_platform", "sovereignty.ecr_replication")
	rep := t.patched("aws_platform", [t.set("/resource/aws_ecr_replication_configuration", {"same_region": _ecr_replication("me-central-1")})])
	not "sovereignty.ecr_replication" in t.rules(rep)
}

test_ecr_replication_violation if {
	rep := t.patched("aws_platform", [t.set("/resource/aws_ecr_replication_configuration", {"dr": _ecr_replication("eu-west-1")})])
	t.denied(rep, "sovereignty.ecr_replication", "aws_ecr_replication_configuration.dr")
}

test_acr_georeplication_compliant if t.clean("azure_platform", "sovereignty.acr_georeplication")

test_acr_georeplication_violation if {
	rep := t.patched("azure_platform", [t.set("/resource/azurerm_container_registry/main/georeplications/0/location", "westeurope")])
	t.denied(rep, "sovereignty.acr_georeplication", "azurerm_container_registry.main")
}

test_storage_replication_compliant if t.clean("azure_platform", "sovereignty.storage_replication")

test_storage_replication_violation if {
	every kind in ["GRS", "RAGRS", "GZRS", "RAGZRS"] {
		rep := t.patched("azure_platform", [t.set("/resource/azurerm_storage_account/backups/account_replication_type", kind)])
		t.denied(rep, "sovereignty.storage_replication", "azurerm_storage_account.backups")
	}
}

_litellm_values_path := "/resource/helm_release/litellm/values/-"

_model(params) := json.marshal({"proxy_config": {"model_list": [{"model_name": "extra", "litellm_params": params}]}})

test_llm_endpoint_compliant if t.clean("aws_workloads", "sovereignty.llm_endpoint")

test_llm_endpoint_bedrock_other_region_violation if {
	rep := t.patched("aws_workloads", [t.set(_litellm_values_path, _model({"model": "bedrock/x", "aws_region_name": "us-east-1"}))])
	t.denied(rep, "sovereignty.llm_endpoint", "helm_release.litellm")
}

test_llm_endpoint_public_saas_violation if {
	rep := t.patched("aws_workloads", [t.set(_litellm_values_path, _model({"model": "openai/gpt-4o"}))])
	t.denied(rep, "sovereignty.llm_endpoint", "helm_release.litellm")
}

test_llm_endpoint_foreign_api_base_violation if {
	rep := t.patched("aws_workloads", [t.set(_litellm_values_path, _model({"model": "openai/gpt-4o", "api_base": "https://api.openai.com/v1"}))])
	t.denied(rep, "sovereignty.llm_endpoint", "helm_release.litellm")
}

test_llm_endpoint_azure_without_region_violation if {
	rep := t.patched("aws_workloads", [t.set(_litellm_values_path, _model({"model": "azure/gpt-4o", "api_base": "https://x.openai.azure.com"}))])
	t.denied(rep, "sovereignty.llm_endpoint", "helm_release.litellm")
}

test_llm_endpoint_bedrock_endpoint_host_compliant if {
	rep := t.patched("aws_workloads", [t.set(_litellm_values_path, _model({"model": "bedrock/x", "api_base": "https://bedrock-runtime.me-central-1.amazonaws.com"}))])
	not "sovereignty.llm_endpoint" in t.rules(rep)
}

test_llm_endpoint_agreement_allows_cross_region if {
	env := object.union(t.contract.environments.aws, {"llmCrossRegionAgreement": true})
	doc := json.patch(data.fixtures.aws_workloads, [t.set(_litellm_values_path, _model({"model": "bedrock/x", "aws_region_name": "eu-west-1"}))])
	rep := t.report_with(doc, env, t.contract.stacks.aws_workloads)
	not "sovereignty.llm_endpoint" in t.rules(rep)
}

test_llm_cross_region_inference_profile_violation if {
	every model in [
		"bedrock/global.anthropic.claude-sonnet-4-20250514-v1:0",
		"bedrock/converse/us.meta.llama3-3-70b-instruct-v1:0",
		"bedrock/eu.anthropic.claude-3-5-sonnet-20240620-v1:0",
		"bedrock/arn:aws:bedrock:me-central-1:111122223333:inference-profile/apac.anthropic.claude-3-haiku-20240307-v1:0",
	] {
		rep := t.patched("aws_workloads", [t.set(_litellm_values_path, _model({"model": model, "aws_region_name": "me-central-1"}))])
		t.denied(rep, "sovereignty.llm_endpoint", "helm_release.litellm")
	}
}

test_llm_in_region_model_id_compliant if {
	rep := t.patched("aws_workloads", [t.set(_litellm_values_path, _model({"model": "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0", "aws_region_name": "me-central-1"}))])
	not t.denied(rep, "sovereignty.llm_endpoint", "helm_release.litellm")
}

test_llm_endpoint_override_violation if {
	params := {"model": "bedrock/anthropic.x", "aws_region_name": "me-central-1", "aws_bedrock_runtime_endpoint": "https://bedrock-runtime.us-east-1.amazonaws.com"}
	rep := t.patched("aws_workloads", [t.set(_litellm_values_path, _model(params))])
	t.denied(rep, "sovereignty.llm_endpoint", "helm_release.litellm")
}

test_llm_endpoint_override_in_region_compliant if {
	params := {"model": "bedrock/anthropic.x", "aws_region_name": "me-central-1", "aws_bedrock_runtime_endpoint": "https://bedrock-runtime.me-central-1.amazonaws.com"}
	rep := t.patched("aws_workloads", [t.set(_litellm_values_path, _model(params))])
	not t.denied(rep, "sovereignty.llm_endpoint", "helm_release.litellm")
}

test_llm_saas_callback_violation if {
	every settings in [{"success_callback": ["datadog"]}, {"callbacks": "lunary"}, {"failure_callback": ["sentry"]}] {
		values := json.marshal({"proxy_config": {"litellm_settings": settings}})
		rep := t.patched("aws_workloads", [t.set(_litellm_values_path, values)])
		t.denied(rep, "sovereignty.llm_endpoint", "helm_release.litellm")
	}
}

test_llm_callback_violation_ignores_agreement if {
	env := object.union(t.contract.environments.aws, {"llmCrossRegionAgreement": true})
	values := json.marshal({"proxy_config": {"litellm_settings": {"success_callback": ["datadog"]}}})
	doc := json.patch(data.fixtures.aws_workloads, [t.set(_litellm_values_path, values)])
	rep := t.report_with(doc, env, t.contract.stacks.aws_workloads)
	t.denied(rep, "sovereignty.llm_endpoint", "helm_release.litellm")
}

test_llm_in_cluster_callbacks_compliant if {
	values := json.marshal({"proxy_config": {"litellm_settings": {"callbacks": ["prometheus"], "success_callback": ["langfuse"]}}})
	rep := t.patched("aws_workloads", [t.set(_litellm_values_path, values)])
	not t.denied(rep, "sovereignty.llm_endpoint", "helm_release.litellm")
}

test_llm_routing_through_set_violation if {
	rep := t.patched("aws_workloads", [t.set("/resource/helm_release/litellm/set", [{"name": "proxy_config.model_list[0].litellm_params.api_base", "value": "https://api.openai.com"}])])
	t.denied(rep, "sovereignty.llm_endpoint", "helm_release.litellm")
}

test_vpc_endpoint_region_compliant if {
	t.clean("aws_platform", "sovereignty.vpc_endpoint_region")
	rep := t.patched("aws_platform", [t.set("/resource/aws_vpc_endpoint/s3/service_region", "me-central-1")])
	not "sovereignty.vpc_endpoint_region" in t.rules(rep)
}

test_vpc_endpoint_region_violation if {
	rep := t.patched("aws_platform", [t.set("/resource/aws_vpc_endpoint/s3/service_region", "eu-west-1")])
	t.denied(rep, "sovereignty.vpc_endpoint_region", "aws_vpc_endpoint.s3")
}

test_vpc_endpoint_region_expression_violation if {
	rep := t.patched("aws_platform", [t.set("/resource/aws_vpc_endpoint/s3/service_region", "${var.region}")])
	t.denied(rep, "sovereignty.vpc_endpoint_region", "aws_vpc_endpoint.s3")
}

test_kms_multi_region_compliant if {
	t.clean("aws_platform", "sovereignty.kms_multi_region")
	t.clean("aws_plan", "sovereignty.kms_multi_region")
	rep := t.patched("aws_platform", [t.set("/resource/aws_kms_key/platform/multi_region", "0")])
	not "sovereignty.kms_multi_region" in t.rules(rep)
}

# In a plan the provider computes multi_region: unknown but unset in the configuration is the default.
test_kms_multi_region_plan_default_compliant if {
	rep := t.patched("aws_plan", [t.set("/resource_changes/0/change/after/multi_region", "(known after apply)")])
	not "sovereignty.kms_multi_region" in t.rules(rep)
}

test_kms_multi_region_violation if {
	every v in [true, "1", "${var.multi_region}"] {
		rep := t.patched("aws_platform", [t.set("/resource/aws_kms_key/platform/multi_region", v)])
		t.denied(rep, "sovereignty.kms_multi_region", "aws_kms_key.platform")
	}
}

_hub := "/subscriptions/22222222-3333-4444-8555-666666666666/resourceGroups/hub-network/providers/Microsoft.Network/virtualNetworks/hub-vnet"

_peering(remote) := {
	"name": "to-hub",
	"resource_group_name": "rg",
	"virtual_network_name": "spoke",
	"remote_virtual_network_id": remote,
}

test_vnet_peering_compliant if {
	rep := t.patched("azure_platform", [t.set("/resource/azurerm_virtual_network_peering", {
		"to-hub": _peering(upper(_hub)),
		"from-hub": _peering("${azurerm_virtual_network.main.id}"),
	})])
	not "sovereignty.vnet_peering" in t.rules(rep)
}

test_vnet_peering_violation if {
	foreign := "/subscriptions/99999999-3333-4444-8555-666666666666/resourceGroups/x/providers/Microsoft.Network/virtualNetworks/westeurope-vnet"
	rep := t.patched("azure_platform", [t.set("/resource/azurerm_virtual_network_peering", {
		"foreign": _peering(foreign),
		"variable": _peering("${var.remote}"),
	})])
	t.denied(rep, "sovereignty.vnet_peering", "azurerm_virtual_network_peering.foreign")
	t.denied(rep, "sovereignty.vnet_peering", "azurerm_virtual_network_peering.variable")
}

# Unknown in the plan because the configuration sets it from a variable: judged, and denied.
test_kms_multi_region_plan_configured_violation if {
	rep := t.patched("aws_plan", [
		t.set("/resource_changes/0/change/after/multi_region", "(known after apply)"),
		t.set("/configuration/root_module/resources/-", {
			"address": "aws_kms_key.platform", "mode": "managed", "type": "aws_kms_key", "name": "platform",
			"expressions": {"multi_region": {"references": ["var.multi_region"]}},
		}),
	])
	t.denied(rep, "sovereignty.kms_multi_region", "aws_kms_key.platform")
}

_flow_log(destination) := {"log_destination": destination, "log_destination_type": "cloud-watch-logs", "traffic_type": "ALL", "vpc_id": "${aws_vpc.vpc.id}"}

test_log_destination_compliant if {
	t.clean("aws_platform", "sovereignty.log_destination")
	rep := t.patched("aws_platform", [t.set("/resource/aws_flow_log", {"vpc": _flow_log("${aws_cloudwatch_log_group.cluster.arn}")})])
	not "sovereignty.log_destination" in t.rules(rep)

	shared := t.patched("azure_platform", [
		t.set("/data", {"terraform_remote_state": {"platform": {"backend": "azurerm", "config": {}}}}),
		t.set("/resource/azurerm_monitor_diagnostic_setting", {"vault": {
			"name": "audit", "target_resource_id": "${azurerm_storage_account.backups.id}",
			"log_analytics_workspace_id": "${data.terraform_remote_state.platform.outputs.workspace_id}",
		}}),
	])
	not "sovereignty.log_destination" in t.rules(shared)
}

test_log_destination_violation if {
	foreign := t.patched("aws_platform", [t.set("/resource/aws_flow_log", {"vpc": _flow_log("arn:aws:s3:::central-logs-eu-west-1")})])
	t.denied(foreign, "sovereignty.log_destination", "aws_flow_log.vpc")

	partner := t.patched("azure_platform", [t.set("/resource/azurerm_monitor_diagnostic_setting", {"vault": {
		"name": "audit", "target_resource_id": "${azurerm_storage_account.backups.id}",
		"log_analytics_workspace_id": "/subscriptions/x/resourceGroups/y/providers/Microsoft.OperationalInsights/workspaces/westeurope",
		"partner_solution_id": "/subscriptions/x/resourceGroups/y/providers/Datadog.Monitor/monitors/saas",
	}})])
	t.denied(partner, "sovereignty.log_destination", "azurerm_monitor_diagnostic_setting.vault")
}

_cnpg_cluster(destination) := {"manifest": {
	"apiVersion": "postgresql.cnpg.io/v1", "kind": "Cluster",
	"metadata": {"name": "litellm-postgres", "namespace": "data"},
	"spec": {"instances": 3, "backup": {"barmanObjectStore": {"destinationPath": destination, "s3Credentials": {"inheritFromIAMRole": true}}}},
}}

_object_store(destination) := {"manifest": {
	"apiVersion": "barmancloud.cnpg.io/v1", "kind": "ObjectStore",
	"metadata": {"name": "litellm-postgres", "namespace": "data"},
	"spec": {"configuration": {"destinationPath": destination}},
}}

_velero_location(spec) := {"manifest": {
	"apiVersion": "velero.io/v1", "kind": "BackupStorageLocation",
	"metadata": {"name": "default", "namespace": "velero"},
	"spec": spec,
}}

_platform_bucket := "${data.terraform_remote_state.platform.outputs.bucket}"

_with_remote_state := t.set("/data", {"terraform_remote_state": {"platform": {"backend": "s3", "config": {}}}})

test_backup_destination_compliant if {
	t.clean("aws_workloads", "sovereignty.backup_destination")
	rep := t.patched("aws_workloads", [
		_with_remote_state,
		t.set("/resource/kubernetes_manifest", {
			"cluster": _cnpg_cluster(concat("", ["s3://", _platform_bucket, "/postgres"])),
			"store": _object_store("${data.terraform_remote_state.platform.outputs.blob_endpoint}platform/postgres"),
			"location": _velero_location({"provider": "aws", "objectStorage": {"bucket": _platform_bucket, "prefix": "velero"}}),
			"azure_location": _velero_location({"provider": "azure", "objectStorage": {"bucket": "platform"}, "config": {"storageAccount": "${data.terraform_remote_state.platform.outputs.account_name}"}}),
		}),
	])
	not "sovereignty.backup_destination" in t.rules(rep)

	# A Cluster without an object store (no backup section) has no destination to judge.
	bare := t.patched("aws_workloads", [t.set("/resource/kubernetes_manifest", {"cluster": {"manifest": {
		"apiVersion": "postgresql.cnpg.io/v1", "kind": "Cluster",
		"metadata": {"name": "x", "namespace": "data"}, "spec": {"instances": 2},
	}}})])
	not "sovereignty.backup_destination" in t.rules(bare)

	replication := t.patched("azure_platform", [t.set("/resource/azurerm_storage_object_replication", {"copy": {
		"source_storage_account_id": "${azurerm_storage_account.backups.id}",
		"destination_storage_account_id": "${azurerm_storage_account.backups.id}",
		"rules": [{"source_container_name": "a", "destination_container_name": "b"}],
	}})])
	not "sovereignty.backup_destination" in t.rules(replication)
}

test_backup_destination_violation if {
	foreign := t.patched("aws_workloads", [
		_with_remote_state,
		t.set("/resource/kubernetes_manifest", {
			"cluster": _cnpg_cluster("s3://someone-elses-bucket-eu-west-1/postgres"),
			"store": _object_store("https://account.blob.core.windows.net/backups/postgres"),
			"location": _velero_location({"provider": "aws", "objectStorage": {"bucket": "central-backups"}, "config": {"region": "eu-west-1"}}),
			"azure_location": _velero_location({"provider": "azure", "objectStorage": {"bucket": _platform_bucket}, "config": {"storageAccount": "westeuropebackups"}}),
			# A reference that is not the start of the destination (a foreign host around it) is no proof either.
			"wrapped": _cnpg_cluster(concat("", ["s3://copy-of-", _platform_bucket, "/postgres"])),
		}),
	])
	t.denied(foreign, "sovereignty.backup_destination", "kubernetes_manifest.cluster")
	t.denied(foreign, "sovereignty.backup_destination", "kubernetes_manifest.store")
	t.denied(foreign, "sovereignty.backup_destination", "kubernetes_manifest.location")
	t.denied(foreign, "sovereignty.backup_destination", "kubernetes_manifest.azure_location")
	t.denied(foreign, "sovereignty.backup_destination", "kubernetes_manifest.wrapped")

	chart := t.patched("aws_workloads", [t.set("/resource/helm_release/velero", {
		"name": "velero", "chart": "velero", "namespace": "velero",
		"values": ["configuration:\n  backupStorageLocation:\n    - name: default\n      provider: aws\n      bucket: central-backups\n"],
	})])
	t.denied(chart, "sovereignty.backup_destination", "helm_release.velero")

	replication := t.patched("azure_platform", [t.set("/resource/azurerm_storage_object_replication", {"copy": {
		"source_storage_account_id": "${azurerm_storage_account.backups.id}",
		"destination_storage_account_id": "/subscriptions/x/resourceGroups/y/providers/Microsoft.Storage/storageAccounts/westeuropecopy",
		"rules": [{"source_container_name": "a", "destination_container_name": "b"}],
	}})])
	t.denied(replication, "sovereignty.backup_destination", "azurerm_storage_object_replication.copy")
}

_plan_manifest(name, destination) := {
	"address": concat(".", ["kubernetes_manifest", name]), "mode": "managed", "type": "kubernetes_manifest", "name": name,
	"provider_name": "registry.terraform.io/hashicorp/kubernetes",
	"change": {"actions": ["create"], "before": null, "after": {"manifest": {
		"apiVersion": "postgresql.cnpg.io/v1", "kind": "Cluster", "metadata": {"name": name, "namespace": "data"},
		"spec": {"backup": {"barmanObjectStore": {"destinationPath": destination}}},
	}}},
}

# Plan JSON: values are resolved, so the destination is judged by the bucket names of the plan (or by the
# manifest's configuration reading a shared stack's state output).
test_backup_destination_plan if {
	own := t.patched("aws_plan", [{"op": "add", "path": "/resource_changes/-", "value": _plan_manifest("own", "s3://uae-prod-backups/postgres")}])
	not "sovereignty.backup_destination" in t.rules(own)

	foreign := t.patched("aws_plan", [{"op": "add", "path": "/resource_changes/-", "value": _plan_manifest("foreign", "s3://uae-prod-backups-copy/postgres")}])
	t.denied(foreign, "sovereignty.backup_destination", "kubernetes_manifest.foreign")

	remote := t.patched("aws_plan", [
		{"op": "add", "path": "/resource_changes/-", "value": _plan_manifest("remote", "s3://platform-bucket-123/postgres")},
		{"op": "add", "path": "/configuration/root_module/resources/-", "value": {
			"address": "kubernetes_manifest.remote", "mode": "managed", "type": "kubernetes_manifest", "name": "remote",
			"expressions": {"manifest": {"references": ["data.terraform_remote_state.platform.outputs.bucket", "data.terraform_remote_state.platform"]}},
		}},
	])
	not "sovereignty.backup_destination" in t.rules(remote)
}

test_backup_destination_plan_names_compared_as_strings if {
	# "uae-prod-backups" with its "-" and the dot-free name must not match a look-alike through regex wildcards.
	lookalike := t.patched("aws_plan", [
		t.set("/resource_changes/3/change/after/bucket", "uae.prod.backups"),
		{"op": "add", "path": "/resource_changes/-", "value": _plan_manifest("lookalike", "s3://uaeXprodXbackups/postgres")},
	])
	t.denied(lookalike, "sovereignty.backup_destination", "kubernetes_manifest.lookalike")

	bare := t.patched("aws_plan", [{"op": "add", "path": "/resource_changes/-", "value": _plan_manifest("bare", "uae-prod-backups")}])
	not "sovereignty.backup_destination" in t.rules(bare)
}
