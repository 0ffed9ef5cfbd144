/**
 * Tenant secret isolation, derived from the synthesized JSON of every example: a tenant namespace reads
 * secrets only through its own SecretStore, that store authenticates as the tenant's own identity, and (on
 * AWS, where IAM scopes by name prefix) that identity can read nothing outside `rag/<env>/tenants/<id>/`.
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
      const stores = manifests(stack, 'SecretStore');
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
