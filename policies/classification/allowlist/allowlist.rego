# METADATA
# title: Allowlist (reviewed data)
# description: |
#   Everything a stack may contain, by stack kind. The gate denies anything not listed here
#   (classification.unclassified), so adding a resource type, data source, provider, backend or
#   Kubernetes manifest kind is one reviewed line in this file (see policies/README.md, "Classifying").
#   Kinds: state, platform, addons, workloads, tenant. `data`: the thing stores or carries customer data
#   (documents, embeddings, prompts, logs, secrets, images), so the rules in `rules` must exist and apply
#   to it. `rules`: the gate rules that judge it (empty: nothing about it is security-relevant beyond
#   being allowed in these kinds).
package classification.allowlist

import rego.v1

_all := ["state", "platform", "addons", "workloads", "tenant"]

_stacks := ["platform", "addons", "workloads", "tenant"]

_cluster := ["addons", "workloads", "tenant"]

_shared_cluster := ["addons", "workloads"]

# Managed resources by type. Cloud-specific types are allowed only in that cloud's environments
# (the type prefix names the provider, which must be classified for the cloud below).
resources := {
	# AWS: keys and state storage
	"aws_kms_key": {"kinds": ["state", "platform", "tenant"], "data": false, "rules": ["encryption.kms_rotation", "encryption.kms_deletion_window", "sovereignty.kms_multi_region"]},
	"aws_kms_alias": {"kinds": ["state", "platform", "tenant"], "data": false, "rules": []},
	"aws_s3_bucket": {"kinds": ["state", "platform", "tenant"], "data": true, "rules": ["encryption.s3_kms", "exposure.s3_public_access_block", "sovereignty.s3_replication"]},
	"aws_s3_bucket_lifecycle_configuration": {"kinds": ["state", "platform", "tenant"], "data": false, "rules": []},
	"aws_s3_bucket_ownership_controls": {"kinds": ["state", "platform", "tenant"], "data": false, "rules": []},
	"aws_s3_bucket_policy": {"kinds": ["state", "platform", "tenant"], "data": false, "rules": []},
	"aws_s3_bucket_public_access_block": {"kinds": ["state", "platform", "tenant"], "data": false, "rules": ["exposure.s3_public_access_block"]},
	"aws_s3_bucket_server_side_encryption_configuration": {"kinds": ["state", "platform", "tenant"], "data": false, "rules": ["encryption.s3_kms"]},
	"aws_s3_bucket_versioning": {"kinds": ["state", "platform", "tenant"], "data": false, "rules": []},
	# AWS: network
	"aws_vpc": {"kinds": ["platform"], "data": false, "rules": []},
	"aws_subnet": {"kinds": ["platform"], "data": false, "rules": ["exposure.subnet_public_ip"]},
	"aws_route_table": {"kinds": ["platform"], "data": false, "rules": []},
	"aws_route_table_association": {"kinds": ["platform"], "data": false, "rules": []},
	"aws_route": {"kinds": ["platform"], "data": false, "rules": []},
	"aws_nat_gateway": {"kinds": ["platform"], "data": false, "rules": ["exposure.internet_gateway"]},
	"aws_security_group": {"kinds": ["platform"], "data": false, "rules": []},
	"aws_security_group_rule": {"kinds": ["platform"], "data": false, "rules": []},
	"aws_vpc_security_group_ingress_rule": {"kinds": ["platform"], "data": false, "rules": []},
	"aws_vpc_security_group_egress_rule": {"kinds": ["platform"], "data": false, "rules": []},
	"aws_default_security_group": {"kinds": ["platform"], "data": false, "rules": []},
	"aws_vpc_endpoint": {"kinds": ["platform"], "data": false, "rules": ["sovereignty.vpc_endpoint_region"]},
	"aws_vpc_endpoint_policy": {"kinds": ["platform"], "data": false, "rules": []},
	"aws_flow_log": {"kinds": ["platform"], "data": false, "rules": ["sovereignty.log_destination"]},
	# AWS: cluster
	"aws_eks_cluster": {"kinds": ["platform"], "data": true, "rules": ["exposure.eks_public_endpoint", "encryption.eks_secrets"]},
	"aws_eks_node_group": {"kinds": ["platform"], "data": true, "rules": ["encryption.node_disks", "workloads.gpu_taint"]},
	"aws_launch_template": {"kinds": ["platform"], "data": false, "rules": ["encryption.node_disks", "exposure.launch_template_public_ip"]},
	"aws_autoscaling_group_tag": {"kinds": ["platform"], "data": false, "rules": []},
	"aws_eks_addon": {"kinds": ["platform", "addons"], "data": false, "rules": []},
	"aws_eks_access_entry": {"kinds": ["platform", "addons"], "data": false, "rules": []},
	"aws_eks_access_policy_association": {"kinds": ["platform", "addons"], "data": false, "rules": []},
	"aws_eks_pod_identity_association": {"kinds": _stacks, "data": false, "rules": []},
	"aws_iam_openid_connect_provider": {"kinds": ["platform"], "data": false, "rules": []},
	# AWS: identities
	"aws_iam_role": {"kinds": _stacks, "data": false, "rules": []},
	"aws_iam_role_policy": {"kinds": _stacks, "data": false, "rules": []},
	"aws_iam_role_policy_attachment": {"kinds": _stacks, "data": false, "rules": []},
	"aws_iam_policy": {"kinds": _stacks, "data": false, "rules": []},
	# AWS: registries, logs, secrets
	"aws_ecr_repository": {"kinds": ["platform"], "data": true, "rules": ["encryption.ecr_kms"]},
	"aws_ecr_repository_creation_template": {"kinds": ["platform"], "data": false, "rules": ["encryption.ecr_kms"]},
	"aws_ecr_replication_configuration": {"kinds": ["platform"], "data": false, "rules": ["sovereignty.ecr_replication"]},
	"aws_cloudwatch_log_group": {"kinds": _stacks, "data": true, "rules": ["encryption.log_group_kms"]},
	"aws_secretsmanager_secret": {"kinds": _stacks, "data": true, "rules": ["encryption.secret_kms"]},
	# Azure: resource groups, network
	"azurerm_resource_group": {"kinds": ["state", "platform", "tenant"], "data": false, "rules": ["sovereignty.azure_location"]},
	"azurerm_virtual_network": {"kinds": ["platform"], "data": false, "rules": ["sovereignty.azure_location"]},
	"azurerm_subnet": {"kinds": ["platform"], "data": false, "rules": []},
	"azurerm_network_security_group": {"kinds": ["platform"], "data": false, "rules": ["sovereignty.azure_location"]},
	"azurerm_network_security_rule": {"kinds": ["platform"], "data": false, "rules": []},
	"azurerm_subnet_network_security_group_association": {"kinds": ["platform"], "data": false, "rules": []},
	"azurerm_route_table": {"kinds": ["platform"], "data": false, "rules": ["sovereignty.azure_location"]},
	"azurerm_route": {"kinds": ["platform"], "data": false, "rules": []},
	"azurerm_subnet_route_table_association": {"kinds": ["platform"], "data": false, "rules": []},
	"azurerm_private_endpoint": {"kinds": ["state", "platform", "tenant"], "data": false, "rules": ["sovereignty.azure_location"]},
	"azurerm_private_dns_zone": {"kinds": ["platform"], "data": false, "rules": []},
	"azurerm_private_dns_zone_virtual_network_link": {"kinds": ["platform"], "data": false, "rules": []},
	"azurerm_virtual_network_peering": {"kinds": ["platform"], "data": false, "rules": ["sovereignty.vnet_peering"]},
	"azurerm_network_watcher_flow_log": {"kinds": ["platform"], "data": false, "rules": ["sovereignty.azure_location", "sovereignty.log_destination"]},
	# Azure: identities
	"azurerm_user_assigned_identity": {"kinds": _all, "data": false, "rules": ["sovereignty.azure_location"]},
	"azurerm_federated_identity_credential": {"kinds": _stacks, "data": false, "rules": []},
	"azurerm_role_assignment": {"kinds": _all, "data": false, "rules": []},
	# Azure: keys, data stores, cluster, logs
	"azurerm_key_vault": {"kinds": ["state", "platform", "tenant"], "data": true, "rules": ["encryption.key_vault_purge_protection", "exposure.public_network_access"]},
	"azurerm_key_vault_key": {"kinds": ["state", "platform", "tenant"], "data": false, "rules": ["encryption.key_rotation_azure"]},
	# Only the Langfuse storage account's key (a reference in the JSON, never a value): lib/azure/aks-platform.ts LANGFUSE_BLOB.
	"azurerm_key_vault_secret": {"kinds": ["platform"], "data": false, "rules": []},
	"azurerm_disk_encryption_set": {"kinds": ["platform"], "data": false, "rules": ["encryption.key_rotation_azure"]},
	"azurerm_storage_account": {"kinds": ["state", "platform", "tenant"], "data": true, "rules": ["encryption.storage_cmk", "exposure.public_network_access", "sovereignty.storage_replication"]},
	"azurerm_storage_container": {"kinds": ["state", "platform", "tenant"], "data": false, "rules": []},
	"azurerm_container_registry": {"kinds": ["platform"], "data": true, "rules": ["encryption.acr_cmk", "exposure.public_network_access", "sovereignty.acr_georeplication"]},
	"azurerm_container_registry_cache_rule": {"kinds": ["platform"], "data": false, "rules": []},
	"azurerm_management_lock": {"kinds": ["state", "platform"], "data": false, "rules": []},
	"azurerm_kubernetes_cluster": {"kinds": ["platform"], "data": true, "rules": ["exposure.aks_private_cluster", "encryption.aks_kms", "encryption.aks_disk_encryption_set"]},
	"azurerm_kubernetes_cluster_node_pool": {"kinds": ["platform"], "data": true, "rules": ["encryption.aks_host_encryption", "workloads.gpu_taint"]},
	"azurerm_log_analytics_workspace": {"kinds": ["platform"], "data": true, "rules": ["sovereignty.azure_location"]},
	"azurerm_log_analytics_workspace_table": {"kinds": ["platform"], "data": false, "rules": []},
	"azurerm_monitor_private_link_scope": {"kinds": ["platform"], "data": false, "rules": []},
	"azurerm_monitor_private_link_scoped_service": {"kinds": ["platform"], "data": false, "rules": []},
	"azurerm_monitor_diagnostic_setting": {"kinds": ["state", "platform", "tenant"], "data": false, "rules": ["sovereignty.log_destination"]},
	# Kubernetes (objects in the cluster of this environment)
	"kubernetes_namespace_v1": {"kinds": _cluster, "data": false, "rules": ["tenancy.tenant_label"]},
	"kubernetes_network_policy_v1": {"kinds": _cluster, "data": false, "rules": ["tenancy.network_policy"]},
	"kubernetes_resource_quota_v1": {"kinds": _cluster, "data": false, "rules": ["tenancy.resource_quota"]},
	"kubernetes_limit_range_v1": {"kinds": _cluster, "data": false, "rules": ["tenancy.limit_range"]},
	"kubernetes_config_map_v1": {"kinds": _cluster, "data": false, "rules": ["workloads.secret_literal"]},
	"kubernetes_config_map_v1_data": {"kinds": _cluster, "data": false, "rules": ["workloads.secret_literal"]},
	"kubernetes_secret_v1": {"kinds": _cluster, "data": true, "rules": ["workloads.secret_literal"]},
	"kubernetes_service_account_v1": {"kinds": _cluster, "data": false, "rules": []},
	"kubernetes_role_v1": {"kinds": _cluster, "data": false, "rules": []},
	"kubernetes_role_binding_v1": {"kinds": _cluster, "data": false, "rules": []},
	"kubernetes_cluster_role_v1": {"kinds": _shared_cluster, "data": false, "rules": []},
	"kubernetes_cluster_role_binding_v1": {"kinds": _shared_cluster, "data": false, "rules": []},
	"kubernetes_service_v1": {"kinds": _cluster, "data": false, "rules": ["exposure.k8s_public_load_balancer"]},
	"kubernetes_ingress_v1": {"kinds": _cluster, "data": false, "rules": ["exposure.k8s_public_load_balancer"]},
	"kubernetes_deployment_v1": {"kinds": _cluster, "data": false, "rules": ["workloads.image_mirror", "workloads.image_tag", "workloads.secret_literal"]},
	"kubernetes_stateful_set_v1": {"kinds": _cluster, "data": true, "rules": ["workloads.image_mirror", "workloads.image_tag", "workloads.secret_literal"]},
	# A standalone claim (the Qdrant backup's staging volume): encrypted through the StorageClass it names.
	"kubernetes_persistent_volume_claim_v1": {"kinds": _cluster, "data": true, "rules": ["encryption.k8s_claim_class"]},
	"kubernetes_daemon_set_v1": {"kinds": _shared_cluster, "data": false, "rules": ["workloads.image_mirror", "workloads.image_tag", "workloads.secret_literal"]},
	"kubernetes_job_v1": {"kinds": _cluster, "data": false, "rules": ["workloads.image_mirror", "workloads.image_tag", "workloads.secret_literal"]},
	"kubernetes_cron_job_v1": {"kinds": _cluster, "data": false, "rules": ["workloads.image_mirror", "workloads.image_tag", "workloads.secret_literal"]},
	"kubernetes_pod_disruption_budget_v1": {"kinds": _cluster, "data": false, "rules": []},
	"kubernetes_horizontal_pod_autoscaler_v2": {"kinds": _cluster, "data": false, "rules": []},
	"kubernetes_priority_class_v1": {"kinds": _shared_cluster, "data": false, "rules": []},
	"kubernetes_storage_class_v1": {"kinds": _shared_cluster, "data": false, "rules": []},
	"kubernetes_labels": {"kinds": _cluster, "data": false, "rules": []},
	"kubernetes_annotations": {"kinds": _cluster, "data": false, "rules": []},
	"kubernetes_manifest": {"kinds": _cluster, "data": false, "rules": ["classification.unclassified"]},
	# Helm and time
	"helm_release": {"kinds": _cluster, "data": false, "rules": _helm_rules},
	"time_sleep": {"kinds": _all, "data": false, "rules": []},
}

_helm_rules := [
	"workloads.chart_source", "workloads.chart_version", "workloads.image_mirror", "workloads.image_tag",
	"workloads.secret_literal", "sovereignty.llm_endpoint", "exposure.k8s_public_load_balancer",
]

# Data sources by type.
data_sources := {
	"terraform_remote_state": {"kinds": _stacks, "rules": []},
	"aws_caller_identity": {"kinds": _all, "rules": []},
	"aws_partition": {"kinds": _all, "rules": []},
	"aws_region": {"kinds": _all, "rules": []},
	"aws_availability_zones": {"kinds": ["platform"], "rules": []},
	"aws_iam_policy_document": {"kinds": _all, "rules": []},
	"azurerm_client_config": {"kinds": _all, "rules": []},
	"azurerm_subscription": {"kinds": _all, "rules": []},
	"azurerm_key_vault_key": {"kinds": ["platform"], "rules": []},
	# A tenant stack looks up the secret-store controller's identity by name (Secrets Officer on the tenant's vault).
	"azurerm_user_assigned_identity": {"kinds": ["tenant"], "rules": []},
	# The helm provider's login to the ECR chart mirror (a 12-hour token of the runner's identity).
	"aws_ecr_authorization_token": {"kinds": _shared_cluster, "rules": []},
}

# Providers: the clouds whose environments may configure them and the stack kinds. Where a provider acts
# (its region/location) is judged by the rules listed (the aws provider's `region` by sovereignty.aws_region;
# azurerm has no provider-level location, each resource's is judged); kubernetes, helm and time act only
# on this environment's cluster or locally.
provider_names := {
	"aws": {"clouds": ["aws"], "kinds": _all, "rules": ["sovereignty.aws_region"]},
	"azurerm": {"clouds": ["azure"], "kinds": _all, "rules": ["sovereignty.azure_location"]},
	"kubernetes": {"clouds": ["aws", "azure"], "kinds": _cluster, "rules": []},
	"helm": {"clouds": ["aws", "azure"], "kinds": _cluster, "rules": []},
	"time": {"clouds": ["aws", "azure"], "kinds": _all, "rules": []},
}

# State backends: local only for the state stack (it creates the remote store); the others keep state in
# the environment's own store.
backends := {
	"local": {"clouds": ["aws", "azure"], "kinds": ["state"], "rules": []},
	"s3": {"clouds": ["aws"], "kinds": _stacks, "rules": ["sovereignty.aws_region"]},
	"azurerm": {"clouds": ["azure"], "kinds": _stacks, "rules": []},
}

# kubernetes_manifest objects by "<apiVersion>/<kind>".
manifests := {
	"v1/ConfigMap": {"kinds": _cluster, "data": false, "rules": ["workloads.secret_literal"]},
	"v1/Secret": {"kinds": _cluster, "data": true, "rules": ["workloads.secret_literal"]},
	"v1/Service": {"kinds": _cluster, "data": false, "rules": ["exposure.k8s_public_load_balancer"]},
	"v1/ServiceAccount": {"kinds": _cluster, "data": false, "rules": []},
	"batch/v1/Job": {"kinds": _cluster, "data": false, "rules": ["workloads.image_mirror", "workloads.image_tag"]},
	"batch/v1/CronJob": {"kinds": _cluster, "data": false, "rules": ["workloads.image_mirror", "workloads.image_tag"]},
	"networking.k8s.io/v1/NetworkPolicy": {"kinds": _cluster, "data": false, "rules": ["tenancy.network_policy"]},
	# Cilium clusters (AKS): the API server and nodes as policy peers, where ipBlock cannot name them; allows only.
	"cilium.io/v2/CiliumNetworkPolicy": {"kinds": _cluster, "data": false, "rules": []},
	"rbac.authorization.k8s.io/v1/Role": {"kinds": _cluster, "data": false, "rules": []},
	"rbac.authorization.k8s.io/v1/RoleBinding": {"kinds": _cluster, "data": false, "rules": []},
	"external-secrets.io/v1/ExternalSecret": {"kinds": _cluster, "data": false, "rules": []},
	"external-secrets.io/v1/SecretStore": {"kinds": _cluster, "data": false, "rules": []},
	"external-secrets.io/v1/ClusterSecretStore": {"kinds": _shared_cluster, "data": false, "rules": []},
	"external-secrets.io/v1alpha1/PushSecret": {"kinds": _cluster, "data": false, "rules": []},
	"generators.external-secrets.io/v1alpha1/Password": {"kinds": _cluster, "data": false, "rules": []},
	"keda.sh/v1alpha1/ScaledObject": {"kinds": _cluster, "data": false, "rules": []},
	"keda.sh/v1alpha1/TriggerAuthentication": {"kinds": _cluster, "data": false, "rules": []},
	"postgresql.cnpg.io/v1/Cluster": {"kinds": _shared_cluster, "data": true, "rules": ["workloads.image_mirror", "sovereignty.backup_destination"]},
	"postgresql.cnpg.io/v1/ScheduledBackup": {"kinds": _shared_cluster, "data": false, "rules": []},
	# Barman Cloud plugin: where a Cluster's WAL and base backups go (the platform bucket/container, judged there).
	"barmancloud.cnpg.io/v1/ObjectStore": {"kinds": _shared_cluster, "data": false, "rules": ["sovereignty.backup_destination"]},
	"cert-manager.io/v1/ClusterIssuer": {"kinds": _shared_cluster, "data": false, "rules": []},
	"cert-manager.io/v1/Issuer": {"kinds": _cluster, "data": false, "rules": []},
	"cert-manager.io/v1/Certificate": {"kinds": _cluster, "data": false, "rules": []},
	"monitoring.coreos.com/v1/ServiceMonitor": {"kinds": _cluster, "data": false, "rules": []},
	"monitoring.coreos.com/v1/PodMonitor": {"kinds": _cluster, "data": false, "rules": []},
	"monitoring.coreos.com/v1/PrometheusRule": {"kinds": _cluster, "data": false, "rules": []},
}

# Top-level blocks of a cdk.tf.json a stack may have (`module` would pull configuration from elsewhere).
blocks := {"//", "terraform", "provider", "resource", "data", "output", "locals", "variable", "moved"}

# Keys of the `terraform` block (`cloud` would send state and runs to a SaaS).
terraform_settings := {"backend", "required_providers", "required_version"}

# Helm charts that install only CustomResourceDefinitions (no workload, so no image to override): a
# release of one may set no image (workloads.image_mirror). By chart name, reviewed like the tables above.
crd_only_charts := {"prometheus-operator-crds"}
