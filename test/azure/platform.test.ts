import { resourcesOf, synthExample } from '../helpers';
import { planAksSubnets } from '../../lib/azure/subnet-plan';
import { AKS_LOG_CATEGORIES, PLATFORM_LOG_TABLES, totalRetentionDays } from '../../lib/azure/log-analytics';
import { AKS_MAX_PODS_PER_NODE } from '../../lib/azure/aks-cluster';
import { AZURE_EXAMPLE, byPath, CORE42_EXAMPLE, only } from './helpers';

const { stacks } = synthExample(AZURE_EXAMPLE);
const platform = stacks['uae-prod-azure-platform'];
const state = stacks['uae-prod-azure-state'];
const core42 = synthExample(CORE42_EXAMPLE).stacks;
const core42Platform = core42['core42-prod-platform'];

const cluster = only(platform, 'azurerm_kubernetes_cluster');
const pool = (stack: any, name: string) => resourcesOf(stack, 'azurerm_kubernetes_cluster_node_pool').map(([, value]) => value).find((value) => value.name === name);

describe('azurerm provider', () => {
  it('is pinned to the subscription and tenant, registers no resource providers and never purges keys', () => {
    for (const stack of [platform, state]) {
      const [provider] = stack.provider.azurerm;
      expect(provider).toMatchObject({
        subscription_id: '11111111-2222-4333-8444-555555555555',
        tenant_id: '99999999-8888-4777-8666-555555555555',
        resource_provider_registrations: 'none',
        storage_use_azuread: true,
      });
      const [features] = provider.features;
      expect(features.key_vault[0]).toMatchObject({ purge_soft_delete_on_destroy: false, purge_soft_deleted_keys_on_destroy: false, recover_soft_deleted_key_vaults: true });
      expect(features.resource_group[0].prevent_deletion_if_contains_resources).toBe(true);
      expect(features.storage[0].data_plane_available).toBe(false);
    }
    expect(platform.terraform.required_providers.azurerm.version).toBe('4.55.0');
  });
});

describe('network', () => {
  const plan = planAksSubnets('10.50.0.0/16');

  it('plans node, endpoint and API server subnets inside the VNet', () => {
    expect(plan).toEqual({ nodes: '10.50.0.0/17', privateEndpoints: '10.50.128.0/20', apiServer: '10.50.144.0/28' });
    expect(planAksSubnets('10.60.0.0/22')).toEqual({ nodes: '10.60.0.0/23', privateEndpoints: '10.60.2.0/26', apiServer: '10.60.2.64/28' });
  });

  it('creates private subnets; the API server subnet is delegated to AKS', () => {
    expect(only(platform, 'azurerm_virtual_network').address_space).toEqual(['10.50.0.0/16']);
    const subnets = resourcesOf(platform, 'azurerm_subnet').map(([, value]) => value);
    expect(subnets.map((s) => [s.name, s.address_prefixes[0]]).sort()).toEqual([
      ['apiserver', plan.apiServer],
      ['nodes', plan.nodes],
      ['private-endpoints', plan.privateEndpoints],
    ]);
    for (const subnet of subnets) {
      expect(subnet.default_outbound_access_enabled).toBe(false);
    }
    const api = subnets.find((s) => s.name === 'apiserver');
    expect(api.delegation[0].service_delegation.name).toBe('Microsoft.ContainerService/managedClusters');
    expect(subnets.find((s) => s.name === 'private-endpoints').private_endpoint_network_policies).toBe('Enabled');
  });

  it('routes all node egress to the hub firewall and nothing around it', () => {
    const table = only(core42Platform, 'azurerm_route_table');
    expect(table.bgp_route_propagation_enabled).toBe(false);
    expect(table.route).toEqual([{ name: 'default-via-firewall', address_prefix: '0.0.0.0/0', next_hop_type: 'VirtualAppliance', next_hop_in_ip_address: '10.1.0.4' }]);
    expect(only(core42Platform, 'azurerm_subnet_route_table_association').subnet_id).toMatch(/azurerm_subnet\..*subnet-nodes.*\.id/);
  });

  it('puts an NSG on every subnet', () => {
    expect(resourcesOf(platform, 'azurerm_network_security_group')).toHaveLength(3);
    expect(resourcesOf(platform, 'azurerm_subnet_network_security_group_association')).toHaveLength(3);
  });

  it('without central zones, owns the privatelink zones, linked to its VNet and to the hub without auto-registration', () => {
    const zones = resourcesOf(core42Platform, 'azurerm_private_dns_zone').map(([, value]) => value.name).sort();
    // The OpenAI zone: the example names an Azure OpenAI account (test/components/litellm-identity.test.ts).
    expect(zones).toEqual([
      'privatelink.azurecr.io',
      'privatelink.blob.core.windows.net',
      'privatelink.openai.azure.com',
      'privatelink.uaecentral.azmk8s.io',
      'privatelink.vaultcore.azure.net',
    ]);
    const links = resourcesOf(core42Platform, 'azurerm_private_dns_zone_virtual_network_link').map(([, value]) => value);
    expect(links).toHaveLength(10);
    for (const link of links) {
      expect(link.registration_enabled).toBe(false);
    }
    const hubLinks = links.filter((link) => link.name === 'hub-vnet');
    expect(hubLinks).toHaveLength(5);
    for (const link of hubLinks) {
      expect(link.virtual_network_id).toBe('/subscriptions/22222222-3333-4444-8555-666666666666/resourceGroups/hub-network/providers/Microsoft.Network/virtualNetworks/hub-vnet');
    }
  });

  it('with the landing zone\'s central zones, creates no zone and registers every endpoint there', () => {
    expect(resourcesOf(platform, 'azurerm_private_dns_zone')).toHaveLength(0);
    expect(resourcesOf(platform, 'azurerm_private_dns_zone_virtual_network_link')).toHaveLength(0);
    const central = '/subscriptions/33333333-4444-4555-8666-777777777777/resourceGroups/private-dns/providers/Microsoft.Network/privateDnsZones/';
    const zoneOf = (path: string) => byPath(platform, 'azurerm_private_endpoint', path).private_dns_zone_group.private_dns_zone_ids;
    for (const vault of ['key-vault', 'kms-key-vault', 'secrets-key-vault']) {
      expect(zoneOf(`/${vault}/endpoint`)).toEqual([`${central}privatelink.vaultcore.azure.net`]);
    }
    expect(zoneOf('orchestrator-registry/endpoint')).toEqual([`${central}privatelink.azurecr.io`]);
    expect(zoneOf('platform-storage/endpoint-blob')).toEqual([`${central}privatelink.blob.core.windows.net`]);
    expect(cluster.private_dns_zone_id).toBe(`${central}privatelink.uaenorth.azmk8s.io`);
  });

  it('peers with the hub in both directions, the hub side through the aliased hub provider', () => {
    const peerings = resourcesOf(platform, 'azurerm_virtual_network_peering').map(([, value]) => value);
    expect(peerings).toHaveLength(2);
    const toHub = byPath(platform, 'azurerm_virtual_network_peering', 'network/peering-to-hub');
    const fromHub = byPath(platform, 'azurerm_virtual_network_peering', 'network/peering-from-hub');
    expect(toHub).toMatchObject({ remote_virtual_network_id: expect.stringMatching(/virtualNetworks\/hub-vnet$/), allow_forwarded_traffic: true, allow_virtual_network_access: true, use_remote_gateways: false });
    expect(toHub.provider).toBeUndefined();
    expect(fromHub).toMatchObject({ provider: 'azurerm.hub', resource_group_name: 'hub-network', virtual_network_name: 'hub-vnet', remote_virtual_network_id: expect.stringMatching(/azurerm_virtual_network\..*\.id/) });
    const hubProvider = platform.provider.azurerm.find((provider: any) => provider.alias === 'hub');
    expect(hubProvider).toMatchObject({ subscription_id: '11111111-2222-4333-8444-555555555555', tenant_id: '99999999-8888-4777-8666-555555555555', resource_provider_registrations: 'none' });
  });

  it('has no public IP, NAT gateway or load balancer egress in any stack', () => {
    for (const all of [stacks, core42]) {
      for (const [name, stack] of Object.entries<any>(all)) {
        const types = Object.keys(stack.resource ?? {});
        expect({ name, types: types.filter((type) => /public_ip|nat_gateway|bastion/.test(type)) }).toEqual({ name, types: [] });
      }
    }
    expect(cluster.network_profile.outbound_type).toBe('none');
    expect(only(core42Platform, 'azurerm_kubernetes_cluster').network_profile.outbound_type).toBe('userDefinedRouting');
  });
});

describe('Key Vault and keys', () => {
  it('are three Premium, RBAC-authorized, purge-protected, private vaults: CMKs, the etcd key, application secrets', () => {
    const vaults = resourcesOf(platform, 'azurerm_key_vault').map(([, value]) => value);
    expect(vaults.map((vault) => vault.name).sort()).toEqual(['uae-prod-azure-kms', 'uae-prod-azure-kv', 'uae-prod-azure-sec']);
    for (const vault of vaults) {
      expect(vault).toMatchObject({
        sku_name: 'premium',
        rbac_authorization_enabled: true,
        purge_protection_enabled: true,
        soft_delete_retention_days: 90,
        public_network_access_enabled: false,
        network_acls: { default_action: 'Deny', bypass: 'AzureServices', ip_rules: [], virtual_network_subnet_ids: [] },
      });
    }
  });

  it('keeps the etcd key alone in a delete-locked vault and no key in the secrets vault', () => {
    const keysIn = (vault: string) =>
      resourcesOf(platform, 'azurerm_key_vault_key')
        .map(([, value]) => value)
        .filter((key) => new RegExp(`^\\$\\{azurerm_key_vault\\.aks-platform_${vault}_(vault_)?[0-9A-F]{8}\\.id\\}$`).test(key.key_vault_id))
        .map((key) => key.name)
        .sort();
    expect(keysIn('kms-key-vault')).toEqual(['aks-etcd']);
    expect(keysIn('key-vault')).toEqual(['node-disks', 'registry', 'storage']);
    expect(keysIn('secrets-key-vault')).toEqual([]);
    const lock = only(platform, 'azurerm_management_lock');
    expect(lock).toMatchObject({ lock_level: 'CanNotDelete', scope: expect.stringMatching(/^\$\{azurerm_key_vault\.aks-platform_kms-key-vault_/) });
  });

  it('creates one RSA-HSM 3072 key per purpose with a rotation policy', () => {
    const keys = resourcesOf(platform, 'azurerm_key_vault_key').map(([, value]) => value);
    expect(keys.map((key) => key.name).sort()).toEqual(['aks-etcd', 'node-disks', 'registry', 'storage']);
    for (const key of keys) {
      expect(key).toMatchObject({ key_type: 'RSA-HSM', key_size: 3072 });
      expect(key.rotation_policy).toEqual({ automatic: { time_after_creation: 'P1Y' }, expire_after: 'P2Y', notify_before_expiry: 'P30D' });
      // Keys wait for the deployer's propagated grant, the private endpoint they are created through and the
      // runner's path to it (both peerings).
      expect(key.depends_on).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^time_sleep\..*deployer-crypto-officer-propagation/),
          expect.stringMatching(/azurerm_private_endpoint\./),
          expect.stringMatching(/peering-to-hub/),
          expect.stringMatching(/peering-from-hub/),
        ]),
      );
      // A rotation creates a version with an expiry: the provider would otherwise plan to replace the key.
      expect(key.lifecycle).toEqual({ ignore_changes: ['expiration_date'] });
    }
  });

  it('grants keys to the deployer named in the config, never to whoever runs terraform', () => {
    const officers = resourcesOf(platform, 'azurerm_role_assignment').map(([, value]) => value).filter((a) => a.role_definition_name === 'Key Vault Crypto Officer');
    expect(officers).toHaveLength(2);
    for (const officer of officers) {
      expect(officer.principal_id).toBe('0a1b2c3d-0000-4000-8000-00000000de01');
    }
    for (const stack of Object.values<any>(stacks)) {
      expect(Object.keys(stack.data ?? {})).not.toContain('azurerm_client_config');
    }
  });

  it('is reached through a private endpoint registered in the vault zone', () => {
    const endpoint = byPath(platform, 'azurerm_private_endpoint', '/key-vault/endpoint');
    expect(endpoint.private_service_connection.subresource_names).toEqual(['vault']);
    expect(endpoint.subnet_id).toMatch(/subnet-endpoints/);
    expect(byPath(core42Platform, 'azurerm_private_endpoint', '/key-vault/endpoint').private_dns_zone_group.private_dns_zone_ids[0]).toMatch(/zone-vault/);
  });
});

describe('identities and role assignments', () => {
  const assignments = resourcesOf(platform, 'azurerm_role_assignment').map(([, value]) => value);
  const grantsOf = (identity: string) =>
    assignments
      .filter((a) => String(a.principal_id).includes(`identity-${identity}_identity`))
      .map((a) => [a.role_definition_name, a.scope])
      .sort();

  it('gives the control plane only KMS, DNS zone, subnet, kubelet identity and disk encryption set access', () => {
    const grants = grantsOf('aks-control-plane');
    expect(grants.map(([role]) => role).sort()).toEqual([
      'Key Vault Contributor',
      'Key Vault Crypto User',
      'Managed Identity Operator',
      'Network Contributor',
      'Network Contributor',
      'Network Contributor',
      'Private DNS Zone Contributor',
      'Reader',
    ]);
    const scope = (role: string) => grants.filter(([r]) => r === role).map(([, s]) => s);
    expect(scope('Key Vault Crypto User')).toEqual([expect.stringMatching(/key-aks-etcd.*\.resource_versionless_id/)]);
    // Management-plane role on the etcd key's own vault only, never on the CMK or secrets vault.
    expect(scope('Key Vault Contributor')).toEqual([expect.stringMatching(/^\$\{azurerm_key_vault\.aks-platform_kms-key-vault_(vault_)?[0-9A-F]{8}\.id\}$/)]);
    expect(scope('Private DNS Zone Contributor')).toEqual([expect.stringMatching(/privateDnsZones\/privatelink\.uaenorth\.azmk8s\.io$/)]);
    // The route table: isolated egress still routes what leaves the VNet (Entra ID) through the named firewall.
    expect(scope('Network Contributor').sort()).toEqual([expect.stringMatching(/route-table/), expect.stringMatching(/subnet-apiserver/), expect.stringMatching(/subnet-nodes/)]);
    expect(scope('Reader')).toEqual([expect.stringMatching(/azurerm_disk_encryption_set\./)]);
    expect(scope('Managed Identity Operator')).toEqual([expect.stringMatching(/identity-aks-kubelet_identity.*\.id/)]);
  });

  it('gives the disk encryption set, storage and registry identities wrap/unwrap on their own key only', () => {
    expect(grantsOf('disk-encryption')).toEqual([['Key Vault Crypto Service Encryption User', expect.stringMatching(/key-node-disks.*resource_versionless_id/)]]);
    expect(grantsOf('storage-cmk')).toEqual([['Key Vault Crypto Service Encryption User', expect.stringMatching(/key-storage.*resource_versionless_id/)]]);
    expect(grantsOf('registry-cmk')).toEqual([['Key Vault Crypto Service Encryption User', expect.stringMatching(/key-registry.*resource_versionless_id/)]]);
  });

  it('lets our kubelet identity pull from the platform registry only, before the nodes boot', () => {
    const pull = assignments.filter((a) => a.role_definition_name === 'AcrPull' && a.principal_id !== '0a1b2c3d-0000-4000-8000-00000000de01');
    expect(pull).toHaveLength(1);
    expect(pull[0].principal_id).toMatch(/identity-aks-kubelet_identity.*\.principal_id/);
    expect(pull[0].scope).toMatch(/azurerm_container_registry\..*\.id/);
    expect(cluster.kubelet_identity.user_assigned_identity_id).toMatch(/identity-aks-kubelet_identity.*\.id/);
  });

  it('grants no subscription-wide role, and a resource-group one only to the drift reader', () => {
    for (const assignment of assignments) {
      expect(assignment.scope).not.toMatch(/^\/subscriptions\/[^/]+$/);
      if (/azurerm_resource_group/.test(assignment.scope)) {
        expect(assignment).toMatchObject({ role_definition_name: 'Reader', principal_id: '0a1b2c3d-0000-4000-8000-00000000df01' });
      }
    }
  });

  it('gives the deployer AKS RBAC Cluster Admin and the drift identity read-only roles', () => {
    const rolesOf = (principal: string) =>
      assignments
        .filter((a) => a.principal_id === principal)
        .map((a) => a.role_definition_name)
        .sort();
    expect(rolesOf('0a1b2c3d-0000-4000-8000-00000000de01')).toEqual([
      'AcrPull',
      'Azure Kubernetes Service RBAC Cluster Admin',
      'Key Vault Crypto Officer',
      'Key Vault Crypto Officer',
      'Key Vault Secrets Officer',
    ]);
    // Secrets Officer on the secrets vault only: it writes the Langfuse account key there (LANGFUSE_BLOB).
    expect(byPath(platform, 'azurerm_role_assignment', 'secrets-key-vault/deployer-secrets-officer').scope).toMatch(/azurerm_key_vault\.aks-platform_secrets-key-vault_(vault_)?[0-9A-F]{8}\.id/);
    expect(byPath(platform, 'azurerm_role_assignment', 'deployer-chart-pull').scope).toMatch(/azurerm_container_registry\..*\.id/);
    expect(rolesOf('0a1b2c3d-0000-4000-8000-00000000df01')).toEqual(['Azure Kubernetes Service RBAC Reader', 'Key Vault Reader', 'Key Vault Reader', 'Key Vault Reader', 'Reader']);
    expect(byPath(platform, 'azurerm_role_assignment', 'deployer-cluster-admin').scope).toMatch(/azurerm_kubernetes_cluster\..*\.id/);
  });

  it('waits for propagation after each group of grants before anything uses them', () => {
    const sleeps = resourcesOf(platform, 'time_sleep').map(([, value]) => value);
    for (const sleep of sleeps) {
      expect(sleep.create_duration).toBe('120s');
      expect(Object.values(sleep.triggers).length).toBe(sleep.depends_on.length);
    }
    const sleepOf = (suffix: string) => byPath(platform, 'time_sleep', suffix);
    expect(sleepOf('data-key-grants-propagation').depends_on).toEqual([
      expect.stringMatching(/key-node-disks-encryption-user/),
      expect.stringMatching(/key-storage-encryption-user/),
      expect.stringMatching(/key-registry-encryption-user/),
    ]);
    for (const type of ['azurerm_disk_encryption_set', 'azurerm_storage_account', 'azurerm_container_registry']) {
      for (const [, resource] of resourcesOf(platform, type)) {
        expect(resource.depends_on).toEqual([expect.stringMatching(/^time_sleep\..*data-key-grants-propagation/)]);
      }
    }
    expect(sleepOf('cluster-grants-propagation').depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/kms-key-crypto-user/), expect.stringMatching(/kubelet-acr-pull/)]));
    expect(cluster.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^time_sleep\..*cluster-grants-propagation/)]));
    expect(sleepOf('cluster-access-propagation').depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/deployer-cluster-admin/)]));
    expect(platform.terraform.required_providers.time).toEqual({ source: 'hashicorp/time', version: '0.13.1' });
  });
});

describe('disk encryption set', () => {
  it('follows key rotation through the versionless key id', () => {
    expect(only(platform, 'azurerm_disk_encryption_set')).toMatchObject({
      auto_key_rotation_enabled: true,
      encryption_type: 'EncryptionAtRestWithCustomerKey',
      key_vault_key_id: expect.stringMatching(/key-node-disks.*\.versionless_id/),
      identity: { type: 'UserAssigned' },
    });
  });
});

describe('AKS cluster', () => {
  it('is private in the AKS zone with API server VNet integration', () => {
    expect(only(core42Platform, 'azurerm_kubernetes_cluster').private_dns_zone_id).toMatch(/zone-aks.*\.id/);
    expect(cluster).toMatchObject({
      private_cluster_enabled: true,
      private_cluster_public_fqdn_enabled: false,
      private_dns_zone_id: expect.stringMatching(/privatelink\.uaenorth\.azmk8s\.io$/),
      api_server_access_profile: { virtual_network_integration_enabled: true, subnet_id: expect.stringMatching(/subnet-apiserver/) },
    });
    expect(cluster.api_server_access_profile.authorized_ip_ranges).toBeUndefined();
  });

  it('authenticates with Entra ID only', () => {
    expect(cluster).toMatchObject({
      local_account_disabled: true,
      run_command_enabled: false,
      oidc_issuer_enabled: true,
      workload_identity_enabled: true,
      azure_active_directory_role_based_access_control: {
        azure_rbac_enabled: true,
        tenant_id: '99999999-8888-4777-8666-555555555555',
        admin_group_object_ids: ['0a1b2c3d-0000-4000-8000-00000000aa01'],
      },
      identity: { type: 'UserAssigned' },
    });
  });

  it('encrypts etcd with the newest version of the HSM key over the private vault, and disks with our set', () => {
    expect(cluster.key_management_service).toEqual({
      key_vault_key_id: expect.stringMatching(/^\$\{data\.azurerm_key_vault_key\..*key-aks-etcd-current.*\.id\}$/),
      key_vault_network_access: 'Private',
    });
    // The data source reads the newest version of the key the platform created, in the etcd vault.
    const [current] = Object.values<any>(platform.data.azurerm_key_vault_key);
    expect(current).toMatchObject({ name: expect.stringMatching(/azurerm_key_vault_key\..*key-aks-etcd.*\.name/), key_vault_id: expect.stringMatching(/^\$\{azurerm_key_vault\.aks-platform_kms-key-vault_/) });
    expect(current.depends_on).toEqual([expect.stringMatching(/azurerm_key_vault_key\..*key-aks-etcd/)]);
    expect(cluster.disk_encryption_set_id).toMatch(/azurerm_disk_encryption_set\..*\.id/);
  });

  it('uses CNI overlay with Cilium and the configured ranges', () => {
    expect(cluster.network_profile).toEqual({
      network_plugin: 'azure',
      network_plugin_mode: 'overlay',
      network_data_plane: 'cilium',
      network_policy: 'cilium',
      pod_cidr: '100.64.0.0/16',
      service_cidr: '172.20.0.0/16',
      dns_service_ip: '172.20.0.10',
      outbound_type: 'none',
      load_balancer_sku: 'standard',
    });
  });

  it('is network-isolated by default: bootstraps from the platform registry\'s MCR cache', () => {
    expect(cluster.bootstrap_profile).toEqual({ artifact_source: 'Cache', container_registry_id: expect.stringMatching(/azurerm_container_registry\..*\.id/) });
    expect(only(platform, 'azurerm_container_registry_cache_rule')).toMatchObject({
      name: 'aks-managed-mcr',
      source_repo: 'mcr.microsoft.com/*',
      target_repo: 'aks-managed-repository/*',
      container_registry_id: expect.stringMatching(/azurerm_container_registry\..*\.id/),
    });
    expect(only(core42Platform, 'azurerm_kubernetes_cluster').bootstrap_profile).toBeUndefined();
  });

  it('pins the Kubernetes minor and upgrades explicitly', () => {
    expect(cluster).toMatchObject({ kubernetes_version: '1.34', sku_tier: 'Standard', automatic_upgrade_channel: 'patch', node_os_upgrade_channel: 'NodeImage' });
  });

  it('runs the system pool as critical-add-ons only, encrypted, private, across the zones', () => {
    expect(cluster.default_node_pool).toMatchObject({
      name: 'system',
      only_critical_addons_enabled: true,
      host_encryption_enabled: true,
      node_public_ip_enabled: false,
      vnet_subnet_id: expect.stringMatching(/subnet-nodes/),
      zones: ['1', '2', '3'],
      node_labels: { 'rag.platform/pool': 'system' },
      min_count: 2,
      max_count: 3,
      vm_size: 'Standard_D4ds_v5',
    });
  });

  it('waits for its propagated grants, the runner path, the vault and registry endpoints and the cache rule', () => {
    expect(cluster.depends_on).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^time_sleep\..*cluster-grants-propagation/),
        expect.stringMatching(/peering-to-hub/),
        expect.stringMatching(/peering-from-hub/),
        expect.stringMatching(/azurerm_private_endpoint\..*kms-key-vault/),
        expect.stringMatching(/azurerm_private_endpoint\..*orchestrator-registry/),
        expect.stringMatching(/azurerm_container_registry_cache_rule\./),
      ]),
    );
    expect(only(core42Platform, 'azurerm_kubernetes_cluster').depends_on).toEqual(
      expect.arrayContaining([expect.stringMatching(/azurerm_subnet_route_table_association\./), expect.stringMatching(/zone-aks-hub-link/)]),
    );
  });

  it('sends control-plane logs, including the audit log, to the in-region workspace', () => {
    const workspace = only(platform, 'azurerm_log_analytics_workspace');
    expect(workspace).toMatchObject({ location: 'uaenorth', local_authentication_enabled: false, internet_ingestion_enabled: false, internet_query_enabled: false, retention_in_days: 365 });
    const diagnostics = byPath(platform, 'azurerm_monitor_diagnostic_setting', 'aks/diagnostics');
    expect(diagnostics.target_resource_id).toMatch(/azurerm_kubernetes_cluster\./);
    expect(diagnostics.log_analytics_workspace_id).toMatch(/azurerm_log_analytics_workspace\./);
    expect(diagnostics.enabled_log.map((log: any) => log.category)).toEqual([...AKS_LOG_CATEGORIES]);
    expect(AKS_LOG_CATEGORIES).toContain('kube-audit');
  });
});

describe('VNet flow logs', () => {
  it('logs every flow of the spoke through the region\'s Network Watcher, with traffic analytics into the workspace', () => {
    const flowLog = only(platform, 'azurerm_network_watcher_flow_log');
    expect(flowLog).toMatchObject({
      name: 'uae-prod-azure-vnet',
      network_watcher_name: 'NetworkWatcher_uaenorth',
      resource_group_name: 'NetworkWatcherRG',
      location: 'uaenorth',
      target_resource_id: expect.stringMatching(/azurerm_virtual_network\..*\.id/),
      storage_account_id: expect.stringMatching(/flow-logs_storage_account.*\.id/),
      enabled: true,
      version: 2,
      retention_policy: { enabled: true, days: 365 },
      traffic_analytics: { enabled: true, workspace_resource_id: expect.stringMatching(/azurerm_log_analytics_workspace\./) },
    });
    expect(flowLog.network_security_group_id).toBeUndefined();
  });

  it('writes to a dedicated private CMK account that only trusted Azure services may write through', () => {
    const account = byPath(platform, 'azurerm_storage_account', 'flow-logs/storage/account');
    expect(account).toMatchObject({
      name: 'uaeprodazureflowlogs',
      public_network_access_enabled: false,
      shared_access_key_enabled: false,
      account_replication_type: 'ZRS',
      network_rules: { default_action: 'Deny', bypass: ['AzureServices'] },
    });
    expect(account.customer_managed_key.key_vault_key_id).toMatch(/key-storage.*versionless_id/);
    // The platform account (workload data) keeps trusted services out.
    expect(byPath(platform, 'azurerm_storage_account', 'platform-storage/account').network_rules.bypass).toEqual(['None']);
  });
});

describe('log retention', () => {
  it('keeps every table the diagnostics write to for the configured total retention', () => {
    const tables = resourcesOf(platform, 'azurerm_log_analytics_workspace_table').map(([, value]) => value);
    expect(tables.map((table) => table.name).sort()).toEqual([...PLATFORM_LOG_TABLES].sort());
    for (const table of tables) {
      expect(table).toMatchObject({ retention_in_days: 365, total_retention_in_days: 365, workspace_id: expect.stringMatching(/azurerm_log_analytics_workspace\./) });
    }
  });

  it('archives beyond the 730-day interactive cap, rounding up to a whole-year total Azure accepts', () => {
    expect(totalRetentionDays(365)).toBe(365);
    expect(totalRetentionDays(730)).toBe(730);
    expect(totalRetentionDays(731)).toBe(1095);
    expect(totalRetentionDays(1096)).toBe(1460);
    expect(totalRetentionDays(2557)).toBe(2922);
    expect(totalRetentionDays(3653)).toBe(3653);
  });
});

describe('node pools', () => {
  it('taints and labels the GPU pool like EKS, scales it from zero, leaves the driver to AKS', () => {
    const gpu = pool(platform, 'gpu');
    expect(gpu).toMatchObject({
      vm_size: 'Standard_NC8as_T4_v3',
      mode: 'User',
      auto_scaling_enabled: true,
      min_count: 0,
      max_count: 4,
      host_encryption_enabled: true,
      node_public_ip_enabled: false,
      node_taints: ['nvidia.com/gpu=present:NoSchedule'],
      node_labels: { 'rag.platform/pool': 'gpu', 'node.kubernetes.io/gpu-family': 'T4', 'nvidia.com/gpu.present': 'true' },
      zones: ['1', '2', '3'],
    });
    expect(gpu.gpu_driver).toBeUndefined();
  });

  it('labels the general pool without taints', () => {
    expect(pool(platform, 'general')).toMatchObject({ node_labels: { 'rag.platform/pool': 'general' }, node_taints: [], min_count: 3, max_count: 12, orchestrator_version: '1.34' });
  });

  it('sets max pods explicitly (110, at least 50) on the system pool and every user pool', () => {
    expect(AKS_MAX_PODS_PER_NODE).toBe(110);
    for (const stack of [platform, core42Platform]) {
      expect(only(stack, 'azurerm_kubernetes_cluster').default_node_pool.max_pods).toBe(110);
      const pools = resourcesOf(stack, 'azurerm_kubernetes_cluster_node_pool').map(([, value]) => value);
      expect(pools.map((p: any) => p.name).sort()).toEqual(['general', 'gpu']);
      for (const p of pools) expect(p.max_pods).toBe(110);
    }
  });

  it('uses no zones in UAE Central and the A10 size from the config', () => {
    const core42Cluster = only(core42Platform, 'azurerm_kubernetes_cluster');
    expect(core42Cluster.default_node_pool.zones).toEqual([]);
    expect(pool(core42Platform, 'general').zones).toEqual([]);
    const gpu = pool(core42Platform, 'gpu');
    expect(gpu.zones).toEqual([]);
    expect(gpu.vm_size).toBe('Standard_NV36ads_A10_v5');
    expect(gpu.node_labels['node.kubernetes.io/gpu-family']).toBe('A10');
  });
});

describe('registry', () => {
  it('is Premium, private, CMK-encrypted, with no admin, export, anonymous pull or geo-replication', () => {
    const registry = only(platform, 'azurerm_container_registry');
    expect(registry).toMatchObject({
      name: 'uaeprodazureplatform',
      sku: 'Premium',
      admin_enabled: false,
      anonymous_pull_enabled: false,
      public_network_access_enabled: false,
      export_policy_enabled: false,
      data_endpoint_enabled: true,
      network_rule_bypass_option: 'None',
      zone_redundancy_enabled: true,
      trust_policy_enabled: false,
      georeplications: [],
      identity: { type: 'UserAssigned' },
    });
    expect(registry.encryption).toEqual([{ key_vault_key_id: expect.stringMatching(/key-registry.*versionless_id/), identity_client_id: expect.stringMatching(/client_id/) }]);
    expect(byPath(platform, 'azurerm_private_endpoint', 'orchestrator-registry/endpoint').private_service_connection.subresource_names).toEqual(['registry']);
    expect(only(core42Platform, 'azurerm_container_registry').zone_redundancy_enabled).toBe(false);
  });
});

describe('platform storage', () => {
  it('is private, Entra-only, CMK-encrypted and replicated within the region', () => {
    const account = byPath(platform, 'azurerm_storage_account', 'platform-storage/account');
    expect(account).toMatchObject({
      account_replication_type: 'ZRS',
      public_network_access_enabled: false,
      shared_access_key_enabled: false,
      default_to_oauth_authentication: true,
      min_tls_version: 'TLS1_2',
      https_traffic_only_enabled: true,
      infrastructure_encryption_enabled: true,
      allow_nested_items_to_be_public: false,
      cross_tenant_replication_enabled: false,
      allowed_copy_scope: 'PrivateLink',
      network_rules: { default_action: 'Deny', bypass: ['None'] },
      blob_properties: { versioning_enabled: true, delete_retention_policy: { days: 30 }, container_delete_retention_policy: { days: 30 } },
    });
    expect(account.customer_managed_key.key_vault_key_id).toMatch(/key-storage.*versionless_id/);
    expect(byPath(platform, 'azurerm_storage_container', 'platform-storage/container-platform')).toMatchObject({
      name: 'platform',
      container_access_type: 'private',
      storage_account_id: expect.stringMatching(/azurerm_storage_account\.aks-platform_platform-storage_account_/),
    });
    expect(byPath(platform, 'azurerm_private_endpoint', 'platform-storage/endpoint-blob').private_service_connection.subresource_names).toEqual(['blob']);
    expect(byPath(core42Platform, 'azurerm_storage_account', 'platform-storage/account').account_replication_type).toBe('LRS');
  });

  it("gives Langfuse an account of its own, the only one with shared keys, its key a reference written to the secrets vault", () => {
    for (const stack of [platform, core42Platform]) {
      const keyed = resourcesOf(stack, 'azurerm_storage_account').filter(([, account]) => account.shared_access_key_enabled !== false);
      expect(keyed.map(([, account]) => account.name)).toEqual([expect.stringMatching(/langfuse$/)]);
    }
    const account = byPath(platform, 'azurerm_storage_account', 'langfuse-storage/account');
    // Everything else as strict as the platform account: private endpoint only, CMK, in-region copies only.
    expect(account).toMatchObject({
      name: 'uaeprodazurelangfuse',
      shared_access_key_enabled: true,
      public_network_access_enabled: false,
      default_to_oauth_authentication: true,
      min_tls_version: 'TLS1_2',
      infrastructure_encryption_enabled: true,
      allow_nested_items_to_be_public: false,
      cross_tenant_replication_enabled: false,
      allowed_copy_scope: 'PrivateLink',
      network_rules: { default_action: 'Deny', bypass: ['None'] },
      account_replication_type: 'ZRS',
      sas_policy: { expiration_period: '01.00:00:00', expiration_action: 'Log' },
    });
    expect(byPath(platform, 'azurerm_storage_account', 'platform-storage/account').sas_policy).toBeUndefined();
    expect(account.customer_managed_key.key_vault_key_id).toMatch(/key-storage.*versionless_id/);
    expect(byPath(platform, 'azurerm_storage_container', 'langfuse-storage/container-langfuse').name).toBe('langfuse');
    expect(byPath(platform, 'azurerm_private_endpoint', 'langfuse-storage/endpoint-blob').private_service_connection.subresource_names).toEqual(['blob']);
    const secret = only(platform, 'azurerm_key_vault_secret');
    expect(secret).toMatchObject({
      name: 'rag-uae-prod-azure-langfuse-blob-account-key',
      key_vault_id: expect.stringMatching(/azurerm_key_vault\.aks-platform_secrets-key-vault_(vault_)?[0-9A-F]{8}\.id/),
      value: expect.stringMatching(/^\$\{azurerm_storage_account\.aks-platform_langfuse-storage_account_[0-9A-F]{8}\.primary_access_key\}$/),
    });
    // Written only once the deployer's grant has propagated and the runner can reach the vault.
    expect(secret.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/deployer-secrets-officer-propagation/), expect.stringMatching(/secrets-key-vault_endpoint/)]));
  });

  it('never uses geo-redundant replication anywhere', () => {
    for (const all of [stacks, core42]) {
      for (const stack of Object.values<any>(all)) {
        for (const [, account] of resourcesOf(stack, 'azurerm_storage_account')) {
          expect(['LRS', 'ZRS']).toContain(account.account_replication_type);
        }
      }
    }
  });
});

describe('state stack', () => {
  it('keeps its own state locally until migrated, and the others point at its container', () => {
    expect(state.terraform.backend.local.path).toBe('../../../state/uae-prod-azure/uae-prod-azure-state.tfstate');
    expect(platform.terraform.backend.azurerm).toMatchObject({
      resource_group_name: 'uae-prod-azure-tfstate',
      storage_account_name: 'uaeprodazuretfstate',
      container_name: 'tfstate',
      use_azuread_auth: true,
    });
  });

  it('creates a private, CMK-encrypted, versioned account with its own vault, key and identity', () => {
    expect(only(state, 'azurerm_resource_group').name).toBe('uae-prod-azure-tfstate');
    expect(only(state, 'azurerm_key_vault')).toMatchObject({ name: 'uae-prod-azure-tfs', sku_name: 'premium', purge_protection_enabled: true, public_network_access_enabled: false, rbac_authorization_enabled: true });
    expect(only(state, 'azurerm_key_vault_key')).toMatchObject({ key_type: 'RSA-HSM', key_size: 3072 });
    const account = only(state, 'azurerm_storage_account');
    expect(account).toMatchObject({
      name: 'uaeprodazuretfstate',
      account_replication_type: 'ZRS',
      public_network_access_enabled: false,
      shared_access_key_enabled: false,
      min_tls_version: 'TLS1_2',
      infrastructure_encryption_enabled: true,
      blob_properties: { versioning_enabled: true, delete_retention_policy: { days: 90 }, container_delete_retention_policy: { days: 90 } },
      identity: { type: 'UserAssigned' },
    });
    expect(account.customer_managed_key.key_vault_key_id).toMatch(/azurerm_key_vault_key\..*\.versionless_id/);
    expect(account.depends_on).toEqual([expect.stringMatching(/key-encryption-user/)]);
    expect(only(state, 'azurerm_storage_container')).toMatchObject({ name: 'tfstate', container_access_type: 'private' });
    expect(only(core42['core42-prod-state'], 'azurerm_storage_account').account_replication_type).toBe('LRS');
  });

  it('is reachable only through private endpoints in the deploy runner subnet', () => {
    const endpoints = resourcesOf(state, 'azurerm_private_endpoint').map(([, value]) => value);
    expect(endpoints.map((e) => e.private_service_connection.subresource_names[0]).sort()).toEqual(['blob', 'vault']);
    for (const endpoint of endpoints) {
      expect(endpoint.subnet_id).toBe('/subscriptions/11111111-2222-4333-8444-555555555555/resourceGroups/hub-network/providers/Microsoft.Network/virtualNetworks/hub-vnet/subnets/deploy-runners');
      // Registered in the landing zone's central zones, where the runner resolves.
      const zone = endpoint.private_service_connection.subresource_names[0] === 'vault' ? 'privatelink.vaultcore.azure.net' : 'privatelink.blob.core.windows.net';
      expect(endpoint.private_dns_zone_group.private_dns_zone_ids).toEqual([`/subscriptions/33333333-4444-4555-8666-777777777777/resourceGroups/private-dns/providers/Microsoft.Network/privateDnsZones/${zone}`]);
    }
    // Without central zones, the landing zone's own automation registers them.
    for (const [, endpoint] of resourcesOf(core42['core42-prod-state'], 'azurerm_private_endpoint')) {
      expect(endpoint.private_dns_zone_group).toBeUndefined();
    }
  });

  it('lets the deployer read and write state blobs in the container only, and the drift identity read them', () => {
    const grants = resourcesOf(state, 'azurerm_role_assignment').map(([, value]) => value);
    const access = grants.find((a) => a.role_definition_name === 'Storage Blob Data Contributor');
    expect(access.scope).toMatch(/azurerm_storage_container\..*\.resource_manager_id/);
    expect(access.principal_id).toBe('0a1b2c3d-0000-4000-8000-00000000de01');
    const reader = grants.find((a) => a.role_definition_name === 'Storage Blob Data Reader');
    expect(reader).toMatchObject({ principal_id: '0a1b2c3d-0000-4000-8000-00000000df01', scope: access.scope });
  });
});

describe('tags', () => {
  it('tags every taggable resource with the environment, managed-by and a component', () => {
    for (const stack of [platform, state]) {
      for (const [type, resources] of Object.entries<any>(stack.resource)) {
        for (const [name, value] of Object.entries<any>(resources)) {
          if ('tags' in value) {
            expect({ type, name, tags: value.tags }).toEqual({ type, name, tags: expect.objectContaining({ environment: 'uae-prod-azure', 'managed-by': 'cdktf-sovereign-rag', component: expect.any(String) }) });
          }
        }
      }
    }
  });
});
