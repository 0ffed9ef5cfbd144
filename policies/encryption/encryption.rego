# METADATA
# title: Encryption
# description: |
#   Customer-managed keys (KMS / Key Vault, rotation on) for every data-bearing resource:
#   Kubernetes secrets (etcd envelope), node and volume disks, object storage, registries, log groups,
#   secrets. Data-bearing types checked here: aws_eks_cluster, aws_launch_template, aws_ebs_volume,
#   aws_eks_node_group (must use a launch template), aws_s3_bucket, aws_ecr_repository,
#   aws_cloudwatch_log_group, aws_secretsmanager_secret, aws_kms_key, azurerm_kubernetes_cluster,
#   azurerm_kubernetes_cluster_node_pool, azurerm_key_vault, azurerm_key_vault_key,
#   azurerm_disk_encryption_set, azurerm_storage_account, azurerm_container_registry,
#   kubernetes_persistent_volume_claim_v1.
package encryption

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

# encryption.eks_secrets: Kubernetes secrets are envelope-encrypted with a customer-managed KMS key.
raw_finding contains findings.finding(
	"encryption.eks_secrets", "critical", r,
	concat("", [r.address, " has no encryption_config encrypting \"secrets\" with a KMS key (etcd would hold secrets under an AWS-owned key)."]),
	"Add encryption_config { resources = [\"secrets\"], provider { key_arn = <customer-managed aws_kms_key arn> } }.",
) if {
	some r in tf.resources
	r.type == "aws_eks_cluster"
	not _eks_secrets_encrypted(r)
}

_eks_secrets_encrypted(r) if {
	some cfg in tf.blocks(r.values, "encryption_config")
	_lists_secrets(cfg.resources)
	some p in tf.blocks(cfg, "provider")
	customer_managed_key(p.key_arn)
}

_lists_secrets(resources) if "secrets" in resources

_lists_secrets(resources) if resources == tf.unknown_value

# encryption.node_disks: node and volume disks are encrypted with a customer-managed key.
raw_finding contains findings.finding(
	"encryption.node_disks", "critical", r,
	concat("", [r.address, " defines no encrypted EBS block device with a kms_key_id; node disks would use the AMI default."]),
	"Add block_device_mappings { device_name = \"/dev/xvda\", ebs { encrypted = \"true\", kms_key_id = <aws_kms_key arn>, volume_type = \"gp3\" } }.",
) if {
	some r in tf.resources
	r.type == "aws_launch_template"
	count(tf.blocks(r.values, "block_device_mappings")) == 0
}

raw_finding contains findings.finding(
	"encryption.node_disks", "critical", r,
	concat("", [r.address, " has block device ", object.get(bdm, "device_name", "(unnamed)"), " without encrypted = true and a kms_key_id."]),
	"Set ebs { encrypted = \"true\", kms_key_id = <customer-managed aws_kms_key arn> } on every block device mapping.",
) if {
	some r in tf.resources
	r.type == "aws_launch_template"
	some bdm in tf.blocks(r.values, "block_device_mappings")
	not _ebs_encrypted(bdm)
}

_ebs_encrypted(bdm) if {
	some ebs in tf.blocks(bdm, "ebs")
	tf.is_true(ebs.encrypted)
	customer_managed_key(ebs.kms_key_id)
}

raw_finding contains findings.finding(
	"encryption.node_disks", "critical", r,
	concat("", [r.address, " is not encrypted with a customer-managed key."]),
	"Set encrypted = true and kms_key_id = <customer-managed aws_kms_key arn>.",
) if {
	some r in tf.resources
	r.type == "aws_ebs_volume"
	not _volume_encrypted(r)
}

_volume_encrypted(r) if {
	tf.is_true(r.values.encrypted)
	customer_managed_key(r.values.kms_key_id)
}

raw_finding contains findings.finding(
	"encryption.node_disks", "critical", r,
	concat("", [r.address, " does not use a launch template, so its node disks cannot be encrypted with a customer-managed key."]),
	"Set launch_template { id = <aws_launch_template id>, version = <its latest_version> } with encrypted block devices.",
) if {
	some r in tf.resources
	r.type == "aws_eks_node_group"
	count(tf.blocks(r.values, "launch_template")) == 0
}

# encryption.s3_kms: every bucket has default encryption with aws:kms and a customer-managed key.
raw_finding contains findings.finding(
	"encryption.s3_kms", "critical", bucket,
	concat("", [bucket.address, " has no aws_s3_bucket_server_side_encryption_configuration with sse_algorithm \"aws:kms\" and a kms_master_key_id."]),
	concat("", [
		"Add aws_s3_bucket_server_side_encryption_configuration { bucket = <this bucket>, rule { apply_server_side_encryption_by_default ",
		"{ sse_algorithm = \"aws:kms\", kms_master_key_id = <aws_kms_key arn> }, bucket_key_enabled = true } }.",
	]),
) if {
	some bucket in tf.resources
	bucket.type == "aws_s3_bucket"
	not _bucket_kms(bucket)
}

_bucket_kms(bucket) if {
	some sse in tf.resources
	sse.type == "aws_s3_bucket_server_side_encryption_configuration"
	tf.exists(sse)
	tf.references(sse, "bucket", bucket)
	some rule in tf.blocks(sse.values, "rule")
	some by_default in tf.blocks(rule, "apply_server_side_encryption_by_default")
	by_default.sse_algorithm in {"aws:kms", "aws:kms:dsse"}
	customer_managed_key(by_default.kms_master_key_id)
}

# encryption.ecr_kms: repositories are encrypted with a customer-managed KMS key.
raw_finding contains findings.finding(
	"encryption.ecr_kms", "high", r,
	concat("", [r.address, " is not encrypted with a customer-managed KMS key (encryption_configuration.encryption_type = \"KMS\" and kms_key)."]),
	"Set encryption_configuration { encryption_type = \"KMS\", kms_key = <aws_kms_key arn> }.",
) if {
	some r in tf.resources
	r.type == "aws_ecr_repository"
	not _ecr_kms(r)
}

_ecr_kms(r) if {
	some cfg in tf.blocks(r.values, "encryption_configuration")
	cfg.encryption_type == "KMS"
	customer_managed_key(cfg.kms_key)
}

# encryption.log_group_kms / encryption.secret_kms: a kms_key_id on log groups and secrets.
_kms_key_id_types := {
	"aws_cloudwatch_log_group": "encryption.log_group_kms",
	"aws_secretsmanager_secret": "encryption.secret_kms",
}

raw_finding contains findings.finding(
	rule, "high", r,
	concat("", [r.address, " has no kms_key_id; it would be encrypted with an AWS-managed key."]),
	"Set kms_key_id = <customer-managed aws_kms_key arn> (the key policy must allow the service principal).",
) if {
	some r in tf.resources
	_kms_key_id_types[r.type]
	not customer_managed_key(object.get(r.values, "kms_key_id", ""))
	rule := _kms_key_id_types[r.type]
}

# encryption.kms_rotation: customer-managed keys rotate.
raw_finding contains findings.finding(
	"encryption.kms_rotation", "high", r,
	concat("", [r.address, " does not set enable_key_rotation = true."]),
	"Set enable_key_rotation = true (rotation_period_in_days defaults to 365).",
) if {
	some r in tf.resources
	r.type == "aws_kms_key"
	not tf.is_true(object.get(r.values, "enable_key_rotation", false))
}

# encryption.kms_deletion_window: a deleted key can be recovered for at least 7 days (30 recommended).
raw_finding contains findings.finding(
	"encryption.kms_deletion_window", "high", r,
	concat("", [r.address, " sets deletion_window_in_days below the minimum of 7."]),
	"Set deletion_window_in_days = 30 (recommended; 7 is the minimum), so an accidental destroy stays recoverable.",
) if {
	some r in tf.resources
	r.type == "aws_kms_key"
	window := object.get(r.values, "deletion_window_in_days", 30)
	not _at_least(window, 7)
}

_at_least(v, n) if {
	is_number(v)
	v >= n
}

_at_least(v, n) if {
	is_string(v)
	to_number(v) >= n
}

_at_least(v, _) if v == tf.unknown_value

# encryption.aks_kms: AKS encrypts etcd secrets with a Key Vault key (KMS plugin).
raw_finding contains findings.finding(
	"encryption.aks_kms", "critical", r,
	concat("", [r.address, " has no key_management_service with a key_vault_key_id; Kubernetes secrets would not be envelope-encrypted with the customer's key."]),
	"Add key_management_service { key_vault_key_id = <versioned key id>, key_vault_network_access = \"Private\" }.",
) if {
	some r in tf.resources
	r.type == "azurerm_kubernetes_cluster"
	not _aks_kms(r)
}

_aks_kms(r) if {
	some kms in tf.blocks(r.values, "key_management_service")
	tf.present(kms.key_vault_key_id)
}

# encryption.aks_disk_encryption_set: AKS OS and data disks use a customer-managed disk encryption set.
raw_finding contains findings.finding(
	"encryption.aks_disk_encryption_set", "critical", r,
	concat("", [r.address, " has no disk_encryption_set_id; node disks would use platform-managed keys."]),
	"Set disk_encryption_set_id = <azurerm_disk_encryption_set id> (only possible at creation).",
) if {
	some r in tf.resources
	r.type == "azurerm_kubernetes_cluster"
	not tf.present(object.get(r.values, "disk_encryption_set_id", ""))
}

# encryption.aks_host_encryption: node pools encrypt temp disks and caches at the host.
raw_finding contains findings.finding(
	"encryption.aks_host_encryption", "high", r,
	concat("", [r.address, " default_node_pool does not set host_encryption_enabled = true."]),
	"Set default_node_pool { host_encryption_enabled = true }.",
) if {
	some r in tf.resources
	r.type == "azurerm_kubernetes_cluster"
	not _pool_host_encrypted(tf.block(r.values, "default_node_pool"))
}

raw_finding contains findings.finding(
	"encryption.aks_host_encryption", "high", r,
	concat("", [r.address, " does not set host_encryption_enabled = true."]),
	"Set host_encryption_enabled = true.",
) if {
	some r in tf.resources
	r.type == "azurerm_kubernetes_cluster_node_pool"
	not _pool_host_encrypted(r.values)
}

_pool_host_encrypted(pool) if tf.is_true(pool.host_encryption_enabled)

# encryption.key_vault_purge_protection: keys cannot be purged during the retention period.
raw_finding contains findings.finding(
	"encryption.key_vault_purge_protection", "critical", r,
	concat("", [r.address, " does not set purge_protection_enabled = true; a purge would destroy every key and the data it encrypts."]),
	"Set purge_protection_enabled = true (and soft_delete_retention_days = 90).",
) if {
	some r in tf.resources
	r.type == "azurerm_key_vault"
	not tf.is_true(object.get(r.values, "purge_protection_enabled", false))
}

# encryption.key_rotation_azure: Key Vault keys and disk encryption sets rotate automatically.
raw_finding contains findings.finding(
	"encryption.key_rotation_azure", "high", r,
	concat("", [r.address, " has no rotation_policy with automatic rotation."]),
	"Add rotation_policy { automatic { time_before_expiry = \"P30D\" }, expire_after = \"P1Y\", notify_before_expiry = \"P29D\" }.",
) if {
	some r in tf.resources
	r.type == "azurerm_key_vault_key"
	not _key_rotates(r)
}

_key_rotates(r) if {
	some policy in tf.blocks(r.values, "rotation_policy")
	some auto in tf.blocks(policy, "automatic")
	_has_rotation_time(auto)
}

_has_rotation_time(auto) if tf.present(auto.time_before_expiry)

_has_rotation_time(auto) if tf.present(auto.time_after_creation)

raw_finding contains findings.finding(
	"encryption.key_rotation_azure", "high", r,
	concat("", [r.address, " does not set auto_key_rotation_enabled = true."]),
	"Set auto_key_rotation_enabled = true and use a versionless key_vault_key_id.",
) if {
	some r in tf.resources
	r.type == "azurerm_disk_encryption_set"
	not tf.is_true(object.get(r.values, "auto_key_rotation_enabled", false))
}

# encryption.storage_cmk: storage accounts use a customer-managed key.
raw_finding contains findings.finding(
	"encryption.storage_cmk", "critical", r,
	concat("", [r.address, " has no customer_managed_key (nor an azurerm_storage_account_customer_managed_key for it)."]),
	"Add customer_managed_key { key_vault_key_id = <versionless key id>, user_assigned_identity_id = <identity id> }.",
) if {
	some r in tf.resources
	r.type == "azurerm_storage_account"
	not _storage_cmk(r)
}

_storage_cmk(r) if {
	some cmk in tf.blocks(r.values, "customer_managed_key")
	_cmk_key(cmk)
}

_storage_cmk(r) if {
	some cmk in tf.resources
	cmk.type == "azurerm_storage_account_customer_managed_key"
	tf.references(cmk, "storage_account_id", r)
}

_cmk_key(cmk) if tf.present(cmk.key_vault_key_id)

_cmk_key(cmk) if tf.present(cmk.managed_hsm_key_id)

# encryption.acr_cmk: container registries are encrypted with a customer-managed key.
raw_finding contains findings.finding(
	"encryption.acr_cmk", "high", r,
	concat("", [r.address, " has no encryption block with a key_vault_key_id."]),
	"Add encryption { key_vault_key_id = <key id>, identity_client_id = <user-assigned identity client id> } (Premium SKU).",
) if {
	some r in tf.resources
	r.type == "azurerm_container_registry"
	not _acr_cmk(r)
}

_acr_cmk(r) if {
	some enc in tf.blocks(r.values, "encryption")
	tf.present(enc.key_vault_key_id)
}

# encryption.k8s_claim_class: a standalone PersistentVolumeClaim names the platform's encrypted
# StorageClass (`encrypted`, which the addons stack creates with the storage CMK / disk encryption set).
# Without a class the claim binds to whatever the cluster's default is at the time.
raw_finding contains findings.finding(
	"encryption.k8s_claim_class", "high", r,
	concat("", [r.address, " does not name the encrypted StorageClass (spec.storage_class_name = \"", _encrypted_class, "\")."]),
	concat("", ["Set spec.storage_class_name = \"", _encrypted_class, "\" (lib/kubernetes/storage-class.ts)."]),
) if {
	some r in tf.resources
	r.type == "kubernetes_persistent_volume_claim_v1"
	not _claims_encrypted_class(r)
}

# The name lib/kubernetes/storage-class.ts gives the CMK-encrypted default class (ENCRYPTED_STORAGE_CLASS).
_encrypted_class := "encrypted"

_claims_encrypted_class(r) if {
	some spec in tf.blocks(r.values, "spec")
	spec.storage_class_name == _encrypted_class
}

# METADATA
# scope: document
# description: |
#   v names an AWS KMS key we manage: present, and not an AWS-managed key (`alias/aws/<service>`, by
#   alias or alias ARN), which any principal of the account with access to the service can use and whose
#   policy we cannot restrict. An expression or a value known only after apply is accepted: it is a
#   reference to a key resource in this configuration (an AWS-managed key would be written literally).
customer_managed_key(v) if {
	tf.present(v)
	not _aws_managed_key(v)
}

_aws_managed_key(v) if startswith(lower(v), "alias/aws/")

_aws_managed_key(v) if contains(lower(v), ":alias/aws/")
