import { Severity } from './types';

export interface RuleInfo {
  readonly concern: 'classification' | 'sovereignty' | 'exposure' | 'encryption' | 'workloads' | 'tenancy' | 'tags';
  readonly severity: Severity;
  readonly summary: string;
}

/**
 * Every rule id the policies in `policies/` can report. Kept in step with the Rego by
 * test/policy/mutations.test.ts (each rule here must be produced by at least one mutation, and every
 * rule the policies produce must be listed here).
 */
export const POLICY_RULES: Readonly<Record<string, RuleInfo>> = {
  'classification.unclassified': { concern: 'classification', severity: 'critical', summary: 'Every resource type, data source, provider, backend, manifest kind and top-level block is classified for the stack kind in policies/classification/allowlist/allowlist.rego.' },
  'classification.dynamic_block': { concern: 'classification', severity: 'critical', summary: 'No dynamic blocks in resource types the rules judge (data-bearing or with rules): the rules read literal blocks only.' },
  'sovereignty.aws_region': { concern: 'sovereignty', severity: 'critical', summary: 'AWS provider regions (and the S3 state backend) are in the permitted AWS regions.' },
  'sovereignty.azure_location': { concern: 'sovereignty', severity: 'critical', summary: 'Every azurerm resource location is a permitted Azure region.' },
  'sovereignty.s3_replication': { concern: 'sovereignty', severity: 'critical', summary: 'No S3 replication configuration.' },
  'sovereignty.ecr_replication': { concern: 'sovereignty', severity: 'critical', summary: 'ECR replicates only to permitted regions.' },
  'sovereignty.acr_georeplication': { concern: 'sovereignty', severity: 'critical', summary: 'ACR geo-replicas only in permitted regions.' },
  'sovereignty.storage_replication': { concern: 'sovereignty', severity: 'critical', summary: 'Storage accounts use LRS or ZRS only.' },
  'sovereignty.vpc_endpoint_region': { concern: 'sovereignty', severity: 'critical', summary: 'VPC endpoints reach services only in permitted regions (service_region unset or permitted).' },
  'sovereignty.kms_multi_region': { concern: 'sovereignty', severity: 'critical', summary: 'KMS keys are single-Region (multi_region false or unset).' },
  'sovereignty.vnet_peering': { concern: 'sovereignty', severity: 'critical', summary: "VNet peerings reach only the landing zone's declared hub/spoke or a VNet of the same stack." },
  'sovereignty.log_destination': { concern: 'sovereignty', severity: 'critical', summary: "Diagnostic settings and flow logs send logs only to a resource of the environment's stacks (a reference, never a literal id)." },
  'sovereignty.backup_destination': { concern: 'sovereignty', severity: 'critical', summary: "Backups and copies (CloudNativePG object stores, Velero locations, Azure object replication) go only to the environment's own bucket/account (a reference, never a literal)." },
  'sovereignty.llm_endpoint': { concern: 'sovereignty', severity: 'critical', summary: 'LiteLLM models run in permitted regions unless llmCrossRegionAgreement (no cross-region inference profiles or endpoint overrides); callbacks only to in-cluster sinks; no routing via helm set.' },
  'exposure.eks_public_endpoint': { concern: 'exposure', severity: 'critical', summary: 'EKS API endpoint private only.' },
  'exposure.aks_private_cluster': { concern: 'exposure', severity: 'critical', summary: 'AKS private cluster without public FQDN.' },
  'exposure.subnet_public_ip': { concern: 'exposure', severity: 'critical', summary: 'Subnets do not map public IPs on launch.' },
  'exposure.launch_template_public_ip': { concern: 'exposure', severity: 'critical', summary: 'Launch templates and instances associate no public IP.' },
  'exposure.public_load_balancer': { concern: 'exposure', severity: 'critical', summary: 'aws_lb / aws_alb / aws_elb are internal.' },
  'exposure.azure_public_ip': { concern: 'exposure', severity: 'critical', summary: 'No azurerm_public_ip / azurerm_public_ip_prefix.' },
  'exposure.internet_gateway': { concern: 'exposure', severity: 'critical', summary: 'No internet, egress-only internet or public NAT gateways.' },
  'exposure.public_network_access': { concern: 'exposure', severity: 'critical', summary: 'Key vaults, registries and storage accounts disable public network access.' },
  'exposure.s3_public_access_block': { concern: 'exposure', severity: 'critical', summary: 'Every S3 bucket has a public access block with all four flags true.' },
  'exposure.k8s_public_load_balancer': { concern: 'exposure', severity: 'critical', summary: "Services/Ingresses/Helm values/set entries ask for internal load balancers only, with this cloud's internal annotation." },
  'encryption.eks_secrets': { concern: 'encryption', severity: 'critical', summary: 'EKS secrets envelope-encrypted with a KMS key.' },
  'encryption.node_disks': { concern: 'encryption', severity: 'critical', summary: 'Node/volume disks encrypted with a KMS key (launch templates, EBS volumes; node groups use launch templates).' },
  'encryption.s3_kms': { concern: 'encryption', severity: 'critical', summary: 'S3 buckets default-encrypt with aws:kms and a customer-managed key (not alias/aws/s3).' },
  'encryption.ecr_kms': { concern: 'encryption', severity: 'high', summary: 'ECR repositories encrypted with KMS and a key.' },
  'encryption.log_group_kms': { concern: 'encryption', severity: 'high', summary: 'CloudWatch log groups have kms_key_id.' },
  'encryption.secret_kms': { concern: 'encryption', severity: 'high', summary: 'Secrets Manager secrets have kms_key_id.' },
  'encryption.kms_rotation': { concern: 'encryption', severity: 'high', summary: 'KMS keys rotate.' },
  'encryption.kms_deletion_window': { concern: 'encryption', severity: 'high', summary: 'KMS deletion window at least 7 days (30 recommended).' },
  'encryption.aks_kms': { concern: 'encryption', severity: 'critical', summary: 'AKS key_management_service with a Key Vault key.' },
  'encryption.aks_disk_encryption_set': { concern: 'encryption', severity: 'critical', summary: 'AKS disk_encryption_set_id set.' },
  'encryption.aks_host_encryption': { concern: 'encryption', severity: 'high', summary: 'AKS node pools use host encryption.' },
  'encryption.key_vault_purge_protection': { concern: 'encryption', severity: 'critical', summary: 'Key vaults have purge protection.' },
  'encryption.key_rotation_azure': { concern: 'encryption', severity: 'high', summary: 'Key Vault keys have an automatic rotation policy; disk encryption sets auto-rotate.' },
  'encryption.storage_cmk': { concern: 'encryption', severity: 'critical', summary: 'Storage accounts use a customer-managed key.' },
  'encryption.acr_cmk': { concern: 'encryption', severity: 'high', summary: 'Container registries use a customer-managed key.' },
  'encryption.k8s_claim_class': { concern: 'encryption', severity: 'high', summary: 'Standalone PersistentVolumeClaims name the encrypted StorageClass.' },
  'workloads.gpu_taint': { concern: 'workloads', severity: 'high', summary: 'GPU node pools tainted nvidia.com/gpu=present:NoSchedule.' },
  'workloads.chart_version': { concern: 'workloads', severity: 'high', summary: 'helm_release versions are exact.' },
  'workloads.chart_source': { concern: 'workloads', severity: 'high', summary: 'Charts come from the chart mirror or localChartsDir.' },
  'workloads.image_mirror': { concern: 'workloads', severity: 'high', summary: 'Images are literal references under the image mirror (values, set entries, global.imageRegistry; releases override their images unless the chart is CRD-only).' },
  'workloads.image_tag': { concern: 'workloads', severity: 'high', summary: 'Images have a fixed tag or digest (no untagged, no :latest).' },
  'workloads.secret_literal': { concern: 'workloads', severity: 'critical', summary: 'No literal secrets in Helm values, set/set_sensitive, env lists or Kubernetes Secret data.' },
  'tenancy.tenant_id': { concern: 'tenancy', severity: 'critical', summary: 'Tenant stacks name a valid tenantId.' },
  'tenancy.resource_quota': { concern: 'tenancy', severity: 'high', summary: 'Tenant stacks contain a ResourceQuota.' },
  'tenancy.limit_range': { concern: 'tenancy', severity: 'high', summary: 'Tenant stacks contain a LimitRange.' },
  'tenancy.network_policy': { concern: 'tenancy', severity: 'high', summary: 'Tenant stacks contain a NetworkPolicy.' },
  'tenancy.llm_budget': { concern: 'tenancy', severity: 'high', summary: 'Tenant stacks declare a LiteLLM budget (label/annotation rag.platform/budget).' },
  'tenancy.tenant_label': { concern: 'tenancy', severity: 'high', summary: 'Everything in a tenant stack carries tenant_id (label or tag).' },
  'tenancy.scope': { concern: 'tenancy', severity: 'critical', summary: "A tenant stack reaches only its own: no NetworkPolicy rule admitting every peer, no binding to cluster-admin/admin/edit, no other tenant's state, namespace, secret path, identity or label." },
  'tags.required': { concern: 'tags', severity: 'medium', summary: 'Taggable AWS/Azure resources carry the required tags.' },
};
