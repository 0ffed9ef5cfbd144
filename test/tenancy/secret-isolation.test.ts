/**
 * Tenant secret isolation, derived from the synthesized JSON of every example: a tenant namespace reads
 * secrets only through its own SecretStore, that store authenticates as the tenant's own identity, and (on
 * AWS, where IAM scopes by name prefix) that identity can read nothing outside `rag/<env>/tenants/<id>/`;
 * on Azure (Key Vault RBAC scopes to a vault) each tenant has a vault of its own and no role elsewhere.
 */
import { readdirSync } from 'fs';
import { resolve } from 'path';
import { synthExample } from '../helpers';
import { resources } from './synth';

const EXAMPLES_DIR = resolve(__dirname, '../../examples');
const EXAMPLES = readdirSync(EXAMPLES_DIR).filter((file) => file.endsWith('.yaml')).sort();

const manifests = (stack: any, kind: string): any[] => resources(stack, 'kubernetes_manifest').map((r) => r.manifest).filter((m) => m.kind === kind);
/** `${aws_iam_role.<name>.arn}` -> the role resource name. */
const referencedResource = (token: string, type: string): string | undefined => new RegExp(`^\\$\\{${type}\\.([^.]+)\\.`).exec(token)?.[1];

describe.each(EXAMPLES)('tenant secret isolation: %s', (example) => {
  let stacks: Record<string, any>;
  let tenantStacks: Array<[string, any]>;
  beforeAll(() => {
    stacks = synthExample(resolve(EXAMPLES_DIR, example)).stacks;
    tenantStacks = Object.entries(stacks).filter(([name]) => name.includes('-tenant-'));
  });

  test('the example has tenants', () => {
    expect(tenantStacks.length).toBeGreaterThan(0);
  });

  test('every tenant SecretStore authenticates as its own tenant identity', () => {
    for (const [name, stack] of tenantStacks) {
      const tenantId = name.slice(name.indexOf('-tenant-') + '-tenant-'.length);
      // The store in the tenant namespace (on Azure the stack also has the controller's in llm-gateway and data).
      const stores = manifests(stack, 'SecretStore').filter((m) => m.metadata.namespace.startsWith('${kubernetes_namespace_v1.'));
      expect(stores).toHaveLength(1);
      const provider = stores[0].spec.provider;
      if (provider.aws) {
        const roleName = referencedResource(provider.aws.role, 'aws_iam_role');
        expect(roleName).toBeDefined();
        expect(stack.resource.aws_iam_role[roleName!].name).toMatch(new RegExp(`-tenant-${tenantId}$`));
      } else {
        const serviceAccount = resources(stack, 'kubernetes_service_account_v1').find((sa) => sa.metadata.name === provider.azurekv.serviceAccountRef.name);
        expect(serviceAccount).toBeDefined();
        const identityName = referencedResource(serviceAccount.metadata.annotations['azure.workload.identity/client-id'], 'azurerm_user_assigned_identity');
        expect(stack.resource.azurerm_user_assigned_identity[identityName!].name).toMatch(new RegExp(`-tenant-${tenantId}$`));
      }
    }
  });

  test('in a tenant namespace every ExternalSecret reads through the tenant store, only under the tenant prefix', () => {
    for (const [name, stack] of tenantStacks) {
      const tenantId = name.slice(name.indexOf('-tenant-') + '-tenant-'.length);
      const inTenantNamespace = manifests(stack, 'ExternalSecret').filter((m) => m.metadata.namespace.startsWith('${kubernetes_namespace_v1.'));
      expect(inTenantNamespace.length).toBeGreaterThan(0);
      for (const secret of inTenantNamespace) {
        expect(secret.spec.secretStoreRef).toEqual({ name: 'tenant-secrets', kind: 'SecretStore' });
        for (const entry of secret.spec.data) {
          expect(entry.remoteRef.key).toMatch(new RegExp(`^rag[/-][^/-]+(-[^/-]+)*[/-]tenants[/-]${tenantId}[/-]`));
        }
      }
    }
  });
});

describe('AWS: tenant roles and the external-secrets controller (gcc-uae-aws.yaml)', () => {
  const ENV = 'uae-prod-aws';
  const ACCOUNT = '111122223333';
  let stacks: Record<string, any>;
  beforeAll(() => {
    stacks = synthExample(resolve(EXAMPLES_DIR, 'gcc-uae-aws.yaml')).stacks;
  });
  const statementsOf = (policy: string): any[] => JSON.parse(policy).Statement;
  const asList = (value: string | string[]): string[] => (Array.isArray(value) ? value : [value]);

  test('no tenant identity has a permission outside its own secret prefix', () => {
    const tenants = Object.keys(stacks).filter((name) => name.includes('-tenant-'));
    expect(tenants.length).toBeGreaterThan(0);
    for (const name of tenants) {
      const tenantId = name.slice(`${ENV}-tenant-`.length);
      const policies = resources(stacks[name], 'aws_iam_role_policy');
      expect(policies).toHaveLength(1);
      for (const statement of statementsOf(policies[0].policy)) {
        expect(statement.Effect).toBe('Allow');
        const actions = asList(statement.Action);
        if (actions.every((action) => action.startsWith('secretsmanager:'))) {
          expect(actions.sort()).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
          expect(asList(statement.Resource)).toEqual([`arn:aws:secretsmanager:me-central-1:${ACCOUNT}:secret:rag/${ENV}/tenants/${tenantId}/*`]);
        } else {
          // Decrypting what it may read: the secrets CMK, nothing else.
          expect(actions).toEqual(['kms:Decrypt']);
          expect(statement.Resource).toMatch(/key-secrets-manager/);
        }
      }
    }
  });

  test('a tenant role trusts Pod Identity and the external-secrets controller role only', () => {
    const [role] = resources(stacks[`${ENV}-tenant-ministry-health`], 'aws_iam_role');
    expect(statementsOf(role.assume_role_policy)).toEqual([
      { Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] },
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Condition: { ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/${ENV}-external-secrets` } },
      },
    ]);
  });

  test('the controller may assume exactly the tenant roles: the pattern matches every tenant role and no other role', () => {
    const addons = stacks[`${ENV}-addons`];
    const controllerRole = resources(addons, 'aws_iam_role').find((role) => role.name === `${ENV}-external-secrets`);
    expect(controllerRole).toBeDefined();
    const policy = resources(addons, 'aws_iam_role_policy').find((p) => p.name === 'external-secrets');
    const assume = statementsOf(policy.policy).filter((s) => asList(s.Action).includes('sts:AssumeRole'));
    expect(assume).toEqual([{ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: [`arn:aws:iam::${ACCOUNT}:role/${ENV}-tenant-*`] }]);
    const pattern = new RegExp(`^${ENV}-tenant-`);
    const roleNames = Object.values(stacks).flatMap((stack) => resources(stack, 'aws_iam_role').map((role) => role.name));
    const matched = roleNames.filter((roleName) => pattern.test(roleName)).sort();
    expect(matched).toEqual([`${ENV}-tenant-customs-authority`, `${ENV}-tenant-ministry-health`]);
  });

  test('every PushSecret (platform and tenants) creates its secret with the secrets CMK', () => {
    for (const name of Object.keys(stacks).filter((stackName) => stackName.includes('-tenant-') || stackName.endsWith('-workloads'))) {
      const pushSecrets = manifests(stacks[name], 'PushSecret');
      expect(pushSecrets.length).toBeGreaterThan(0);
      for (const push of pushSecrets) {
        for (const entry of push.spec.data) {
          expect(entry.metadata).toMatchObject({ apiVersion: 'kubernetes.external-secrets.io/v1alpha1', kind: 'PushSecretMetadata' });
          expect(entry.metadata.spec.kmsKeyID).toMatch(/key-secrets-manager.*arn\}$/);
        }
      }
    }
  });
});

describe.each(EXAMPLES.filter((file) => file.includes('azure')))('Azure: each tenant reads only its own vault: %s', (example) => {
  let stacks: Record<string, any>;
  let tenantStacks: Array<[string, any]>;
  beforeAll(() => {
    stacks = synthExample(resolve(EXAMPLES_DIR, example)).stacks;
    tenantStacks = Object.entries(stacks).filter(([name]) => name.includes('-tenant-'));
  });
  /** The tenant stack's own vault (exactly one) and its resource name. */
  const ownVault = (stack: any): [string, any] => {
    const vaults = Object.entries<any>(stack.resource.azurerm_key_vault ?? {});
    expect(vaults).toHaveLength(1);
    return vaults[0];
  };
  const tenantIdentity = (stack: any): string => {
    const identities = Object.keys(stack.resource.azurerm_user_assigned_identity ?? {});
    expect(identities).toHaveLength(1);
    return identities[0];
  };

  test('the tenant identity holds Key Vault Secrets User on its own vault and no role anywhere else', () => {
    expect(tenantStacks.length).toBeGreaterThan(0);
    const identityRefs = tenantStacks.map(([, stack]) => `\${azurerm_user_assigned_identity.${tenantIdentity(stack)}.principal_id}`);
    for (const [, stack] of tenantStacks) {
      const [vaultName] = ownVault(stack);
      const ofTenant = resources(stack, 'azurerm_role_assignment').filter((grant) => grant.principal_id === `\${azurerm_user_assigned_identity.${tenantIdentity(stack)}.principal_id}`);
      expect(ofTenant.map((grant) => [grant.role_definition_name, grant.scope])).toEqual([['Key Vault Secrets User', `\${azurerm_key_vault.${vaultName}.id}`]]);
    }
    // No other stack (the platform's, the addons', another tenant's) grants a tenant identity anything.
    for (const [name, stack] of Object.entries(stacks)) {
      for (const grant of resources(stack, 'azurerm_role_assignment')) {
        if (!name.includes('-tenant-')) {
          expect(String(grant.principal_id)).not.toMatch(/tenant/);
        }
      }
    }
    expect(new Set(identityRefs).size).toBe(identityRefs.length);
  });

  test('no role assignment of a tenant stack is scoped to the platform secrets vault (or any vault but its own)', () => {
    for (const [, stack] of tenantStacks) {
      const [vaultName] = ownVault(stack);
      for (const grant of resources(stack, 'azurerm_role_assignment')) {
        expect(grant.scope).not.toMatch(/secrets-key-vault/);
        if (/Key Vault/.test(grant.role_definition_name)) {
          expect(grant.scope).toBe(`\${azurerm_key_vault.${vaultName}.id}`);
        }
      }
    }
  });

  test('the tenant vault is private, RBAC-only, purge-protected, reached through the vault zone, and its name fits', () => {
    const names: string[] = [];
    for (const [, stack] of tenantStacks) {
      const [vaultName, vault] = ownVault(stack);
      expect(vault).toMatchObject({ public_network_access_enabled: false, rbac_authorization_enabled: true, purge_protection_enabled: true });
      expect(vault.name).toMatch(/^[a-z][a-z0-9-]{1,22}[a-z0-9]$/);
      expect(vault.name).not.toMatch(/--/);
      names.push(vault.name);
      const endpoints = resources(stack, 'azurerm_private_endpoint').filter((endpoint) => endpoint.private_service_connection.private_connection_resource_id === `\${azurerm_key_vault.${vaultName}.id}`);
      expect(endpoints).toHaveLength(1);
      expect(endpoints[0].private_dns_zone_group.private_dns_zone_ids.join()).toMatch(/privatelink\.vaultcore\.azure\.net|private-dns_zone-vault/);
    }
    expect(new Set(names).size).toBe(names.length);
  });

  test("every store a tenant stack creates points at the tenant's own vault; every secret object goes through one of them", () => {
    for (const [, stack] of tenantStacks) {
      const [vaultName] = ownVault(stack);
      const stores = manifests(stack, 'SecretStore');
      // The tenant namespace's (tenant identity) plus llm-gateway's and data's (the controller's identity).
      expect(stores).toHaveLength(3);
      for (const store of stores) {
        expect(store.spec.provider.azurekv.vaultUrl).toBe(`\${azurerm_key_vault.${vaultName}.vault_uri}`);
      }
      const storeKeys = new Set(stores.map((store) => `${store.metadata.namespace}/${store.metadata.name}`));
      expect(manifests(stack, 'ClusterSecretStore')).toEqual([]);
      for (const secret of [...manifests(stack, 'ExternalSecret'), ...manifests(stack, 'PushSecret')]) {
        const refs = secret.spec.secretStoreRefs ?? [secret.spec.secretStoreRef];
        for (const ref of refs) {
          expect(ref.kind).toBe('SecretStore');
          expect(storeKeys).toContain(`${secret.metadata.namespace}/${ref.name}`);
        }
      }
    }
  });
});
