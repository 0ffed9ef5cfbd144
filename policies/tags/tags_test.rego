package tags_test

import rego.v1

import data.lib.testutil as t

test_required_compliant if {
	t.clean("aws_platform", "tags.required")
	t.clean("azure_platform", "tags.required")
	t.clean("aws_plan", "tags.required")
	t.clean("aws_tenant", "tags.required")
}

test_required_aws_default_tags_violation if {
	rep := t.patched("aws_platform", [t.remove("/provider/aws/0/default_tags")])
	t.denied(rep, "tags.required", "aws_kms_key.platform")
	t.denied(rep, "tags.required", "aws_eks_cluster.cluster")
	not t.denied(rep, "tags.required", "aws_kms_alias.platform")
}

test_required_resource_tags_count if {
	rep := t.patched("aws_platform", [
		t.remove("/provider/aws/0/default_tags"),
		t.set("/resource/aws_kms_key/platform/tags", {"environment": "uae-prod", "managed-by": "cdktf"}),
	])
	not t.denied(rep, "tags.required", "aws_kms_key.platform")
}

test_required_azure_violation if {
	rep := t.patched("azure_platform", [t.remove("/resource/azurerm_key_vault/main/tags/managed-by")])
	t.denied(rep, "tags.required", "azurerm_key_vault.main")
}

test_required_azure_untagged_type_violation if {
	rep := t.patched("azure_platform", [t.remove("/resource/azurerm_resource_group/main/tags")])
	t.denied(rep, "tags.required", "azurerm_resource_group.main")
}

test_required_empty_value_violation if {
	rep := t.patched("azure_platform", [t.set("/resource/azurerm_key_vault/main/tags/environment", "")])
	t.denied(rep, "tags.required", "azurerm_key_vault.main")
}

test_required_plan_violation if {
	rep := t.patched("aws_plan", [
		t.remove("/configuration/provider_config/aws/expressions/default_tags"),
		t.set("/resource_changes/0/change/after/tags_all", {}),
	])
	t.denied(rep, "tags.required", "aws_kms_key.platform")
}
