package encryption_test

import rego.v1

import data.lib.testutil as t

test_eks_secrets_compliant if {
	t.clean("aws_platform", "encryption.eks_secrets")
	t.clean("aws_plan", "encryption.eks_secrets")
}

test_eks_secrets_violation if {
	rep := t.patched("aws_platform", [t.remove("/resource/aws_eks_cluster/cluster/encryption_config")])
	t.denied(rep, "encryption.eks_secrets", "aws_eks_cluster.cluster")
}

test_eks_secrets_plan_violation if {
	rep := t.patched("aws_plan", [t.set("/resource_changes/1/change/after_unknown/encryption_config/0/provider/0/key_arn", false)])
	t.denied(rep, "encryption.eks_secrets", "aws_eks_cluster.cluster")
}

test_node_disks_compliant if t.clean("aws_platform", "encryption.node_disks")

test_node_disks_unencrypted_violation if {
	rep := t.patched("aws_platform", [t.set("/resource/aws_launch_template/gpu/block_device_mappings/0/ebs/encrypted", "false")])
	t.denied(rep, "encryption.node_disks", "aws_launch_template.gpu")
}

test_node_disks_no_key_violation if {
	rep := t.patched("aws_platform", [t.remove("/resource/aws_launch_template/system/block_device_mappings/0/ebs/kms_key_id")])
	t.denied(rep, "encryption.node_disks", "aws_launch_template.system")
}

test_node_disks_no_mappings_violation if {
	rep := t.patched("aws_platform", [t.remove("/resource/aws_launch_template/system/block_device_mappings")])
	t.denied(rep, "encryption.node_disks", "aws_launch_template.system")
}

test_node_group_without_launch_template_violation if {
	rep := t.patched("aws_platform", [t.remove("/resource/aws_eks_node_group/system/launch_template")])
	t.denied(rep, "encryption.node_disks", "aws_eks_node_group.system")
}

test_ebs_volume_violation if {
	rep := t.patched("aws_platform", [t.set("/resource/aws_ebs_volume", {"data": {"availability_zone": "me-central-1a", "size": 10, "encrypted": true}})])
	t.denied(rep, "encryption.node_disks", "aws_ebs_volume.data")
}

test_s3_kms_compliant if {
	t.clean("aws_platform", "encryption.s3_kms")
	t.clean("aws_plan", "encryption.s3_kms")
}

test_s3_kms_violation if {
	rep := t.patched("aws_platform", [t.set(
		"/resource/aws_s3_bucket_server_side_encryption_configuration/backups/rule/0/apply_server_side_encryption_by_default/sse_algorithm",
		"AES256",
	)])
	t.denied(rep, "encryption.s3_kms", "aws_s3_bucket.backups")
}

test_s3_kms_other_bucket_violation if {
	rep := t.patched("aws_platform", [t.set("/resource/aws_s3_bucket_server_side_encryption_configuration/backups/bucket", "${aws_s3_bucket.other.id}")])
	t.denied(rep, "encryption.s3_kms", "aws_s3_bucket.backups")
}

test_ecr_kms_compliant if t.clean("aws_platform", "encryption.ecr_kms")

test_ecr_kms_violation if {
	rep := t.patched("aws_platform", [t.set("/resource/aws_ecr_repository/orchestrator/encryption_configuration/0/encryption_type", "AES256")])
	t.denied(rep, "encryption.ecr_kms", "aws_ecr_repository.orchestrator")
}

test_log_group_kms_compliant if {
	t.clean("aws_platform", "encryption.log_group_kms")
	t.clean("aws_plan", "encryption.log_group_kms")
}

test_log_group_kms_violation if {
	rep := t.patched("aws_platform", [t.remove("/resource/aws_cloudwatch_log_group/cluster/kms_key_id")])
	t.denied(rep, "encryption.log_group_kms", "aws_cloudwatch_log_group.cluster")
}

test_secret_kms_compliant if t.clean("aws_platform", "encryption.secret_kms")

test_secret_kms_violation if {
	rep := t.patched("aws_platform", [t.set("/resource/aws_secretsmanager_secret/litellm/kms_key_id", "")])
	t.denied(rep, "encryption.secret_kms", "aws_secretsmanager_secret.litellm")
}

test_kms_rotation_compliant if t.clean("aws_platform", "encryption.kms_rotation")

test_kms_rotation_violation if {
	rep := t.patched("aws_platform", [t.remove("/resource/aws_kms_key/platform/enable_key_rotation")])
	t.denied(rep, "encryption.kms_rotation", "aws_kms_key.platform")
}

test_kms_deletion_window_compliant if {
	t.clean("aws_platform", "encryption.kms_deletion_window")
	rep := t.patched("aws_platform", [t.set("/resource/aws_kms_key/platform/deletion_window_in_days", 7)])
	not "encryption.kms_deletion_window" in t.rules(rep)
}

test_kms_deletion_window_violation if {
	rep := t.patched("aws_platform", [t.set("/resource/aws_kms_key/platform/deletion_window_in_days", 5)])
	t.denied(rep, "encryption.kms_deletion_window", "aws_kms_key.platform")
}

test_aks_kms_compliant if t.clean("azure_platform", "encryption.aks_kms")

test_aks_kms_violation if {
	rep := t.patched("azure_platform", [t.remove("/resource/azurerm_kubernetes_cluster/main/key_management_service")])
	t.denied(rep, "encryption.aks_kms", "azurerm_kubernetes_cluster.main")
}

test_aks_disk_encryption_set_compliant if t.clean("azure_platform", "encryption.aks_disk_encryption_set")

test_aks_disk_encryption_set_violation if {
	rep := t.patched("azure_platform", [t.remove("/resource/azurerm_kubernetes_cluster/main/disk_encryption_set_id")])
	t.denied(rep, "encryption.aks_disk_encryption_set", "azurerm_kubernetes_cluster.main")
}

test_aks_host_encryption_compliant if t.clean("azure_platform", "encryption.aks_host_encryption")

test_aks_host_encryption_violation if {
	rep := t.patched("azure_platform", [
		t.set("/resource/azurerm_kubernetes_cluster_node_pool/gpu/host_encryption_enabled", false),
		t.remove("/resource/azurerm_kubernetes_cluster/main/default_node_pool/host_encryption_enabled"),
	])
	t.denied(rep, "encryption.aks_host_encryption", "azurerm_kubernetes_cluster_node_pool.gpu")
	t.denied(rep, "encryption.aks_host_encryption", "azurerm_kubernetes_cluster.main")
}

test_key_vault_purge_protection_compliant if t.clean("azure_platform", "encryption.key_vault_purge_protection")

test_key_vault_purge_protection_violation if {
	rep := t.patched("azure_platform", [t.set("/resource/azurerm_key_vault/main/purge_protection_enabled", false)])
	t.denied(rep, "encryption.key_vault_purge_protection", "azurerm_key_vault.main")
}

test_key_rotation_azure_compliant if t.clean("azure_platform", "encryption.key_rotation_azure")

test_key_rotation_azure_violation if {
	rep := t.patched("azure_platform", [
		t.remove("/resource/azurerm_key_vault_key/platform/rotation_policy"),
		t.set("/resource/azurerm_disk_encryption_set/main/auto_key_rotation_enabled", false),
	])
	t.denied(rep, "encryption.key_rotation_azure", "azurerm_key_vault_key.platform")
	t.denied(rep, "encryption.key_rotation_azure", "azurerm_disk_encryption_set.main")
}

test_storage_cmk_compliant if {
	t.clean("azure_platform", "encryption.storage_cmk")
	rep := t.patched("azure_platform", [
		t.remove("/resource/azurerm_storage_account/backups/customer_managed_key"),
		t.set("/resource/azurerm_storage_account_customer_managed_key", {"backups": {
			"storage_account_id": "${azurerm_storage_account.backups.id}",
			"key_vault_key_id": "${azurerm_key_vault_key.platform.versionless_id}",
		}}),
	])
	not "encryption.storage_cmk" in t.rules(rep)
}

test_storage_cmk_violation if {
	rep := t.patched("azure_platform", [t.remove("/resource/azurerm_storage_account/backups/customer_managed_key")])
	t.denied(rep, "encryption.storage_cmk", "azurerm_storage_account.backups")
}

test_acr_cmk_compliant if t.clean("azure_platform", "encryption.acr_cmk")

test_acr_cmk_violation if {
	rep := t.patched("azure_platform", [t.remove("/resource/azurerm_container_registry/main/encryption")])
	t.denied(rep, "encryption.acr_cmk", "azurerm_container_registry.main")
}

test_s3_kms_aws_managed_key_violation if {
	every key in ["alias/aws/s3", "arn:aws:kms:me-central-1:111122223333:alias/aws/s3"] {
		rep := t.patched("aws_platform", [t.set("/resource/aws_s3_bucket_server_side_encryption_configuration/backups/rule/0/apply_server_side_encryption_by_default/kms_master_key_id", key)])
		t.denied(rep, "encryption.s3_kms", "aws_s3_bucket.backups")
	}
}

test_s3_kms_configuration_that_may_not_exist_violation if {
	rep := t.patched("aws_platform", [t.set("/resource/aws_s3_bucket_server_side_encryption_configuration/backups/count", 0)])
	t.denied(rep, "encryption.s3_kms", "aws_s3_bucket.backups")
}

test_secret_kms_aws_managed_key_violation if {
	rep := t.patched("aws_platform", [t.set("/resource/aws_secretsmanager_secret/litellm/kms_key_id", "alias/aws/secretsmanager")])
	t.denied(rep, "encryption.secret_kms", "aws_secretsmanager_secret.litellm")
}

test_kms_rotation_terraform_true_compliant if {
	every v in ["1", "true", 1] {
		rep := t.patched("aws_platform", [t.set("/resource/aws_kms_key/platform/enable_key_rotation", v)])
		not t.denied(rep, "encryption.kms_rotation", "aws_kms_key.platform")
	}
}

test_kms_rotation_expression_violation if {
	rep := t.patched("aws_platform", [t.set("/resource/aws_kms_key/platform/enable_key_rotation", "${var.rotate}")])
	t.denied(rep, "encryption.kms_rotation", "aws_kms_key.platform")
}

_claim(class) := {"qdrant_backup_work": {
	"metadata": {"name": "qdrant-backup-work", "namespace": "vectordb"},
	"spec": {"storage_class_name": class, "access_modes": ["ReadWriteOnce"]},
}}

test_k8s_claim_class_compliant if {
	rep := t.patched("aws_workloads", [t.set("/resource/kubernetes_persistent_volume_claim_v1", _claim("encrypted"))])
	not "encryption.k8s_claim_class" in t.rules(rep)
}

test_k8s_claim_class_violation if {
	rep := t.patched("aws_workloads", [t.set("/resource/kubernetes_persistent_volume_claim_v1", _claim("gp2"))])
	t.denied(rep, "encryption.k8s_claim_class", "kubernetes_persistent_volume_claim_v1.qdrant_backup_work")
}

test_k8s_claim_class_missing if {
	rep := t.patched("aws_workloads", [t.set("/resource/kubernetes_persistent_volume_claim_v1", {"w": {"metadata": {"name": "w"}, "spec": {"access_modes": ["ReadWriteOnce"]}}})])
	t.denied(rep, "encryption.k8s_claim_class", "kubernetes_persistent_volume_claim_v1.w")
}
