import { join } from 'path';
import { parse } from 'yaml';
import { awsExampleInput, configFrom, problemLines, REPO_ROOT, resourcesOf, synthEnvironment, synthExample } from '../helpers';

/** The Langfuse release's values and the workloads stack's manifests, for an environment. */
function langfuseOf(synth: ReturnType<typeof synthExample>, env: string) {
  const workloads = synth.stacks[`${env}-workloads`];
  const [, release] = resourcesOf(workloads, 'helm_release').find(([, r]) => r.name === 'langfuse')!;
  const manifests = resourcesOf(workloads, 'kubernetes_manifest').map(([, r]) => r.manifest);
  return { values: parse(release.values[0]), manifests };
}
const envValue = (values: any, name: string) => values.langfuse.additionalEnv.find((e: any) => e.name === name);

describe('Langfuse with an internal host name (the AWS example) and SSO', () => {
  let langfuse: ReturnType<typeof langfuseOf>;
  beforeAll(() => {
    const input = awsExampleInput();
    input.components.langfuse.sso = { issuer: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0', clientId: 'langfuse-uae-prod', name: 'Entra ID' };
    langfuse = langfuseOf(synthEnvironment(configFrom(input)), input.name);
  });

  test('is reached through the internal ingress, and NEXTAUTH_URL is the address people use', () => {
    expect(langfuse.values.langfuse.ingress).toEqual({
      enabled: true,
      className: 'internal',
      hosts: [{ host: 'langfuse.uae-prod.rag.internal.example', paths: [{ path: '/', pathType: 'Prefix' }] }],
      tls: { enabled: true, secretName: 'langfuse-tls' },
    });
    expect(langfuse.values.langfuse.nextauth.url).toBe('https://langfuse.uae-prod.rag.internal.example');
  });

  test('signs people in through OpenID Connect only, with the client secret from the secret store', () => {
    expect(envValue(langfuse.values, 'AUTH_CUSTOM_ISSUER').value).toMatch(/^https:\/\/login\.microsoftonline\.com\//);
    expect(envValue(langfuse.values, 'AUTH_CUSTOM_CLIENT_SECRET').valueFrom.secretKeyRef).toEqual({ name: 'langfuse-sso', key: 'client-secret' });
    expect(envValue(langfuse.values, 'AUTH_DISABLE_USERNAME_PASSWORD').value).toBe('true');
    expect(langfuse.values.langfuse.features).toEqual({ telemetryEnabled: false, signUpDisabled: true });
    const sso = langfuse.manifests.find((m) => m.kind === 'ExternalSecret' && m.metadata.name === 'langfuse-sso');
    expect(sso.spec.data[0].remoteRef.key).toBe('rag/uae-prod-aws/langfuse/sso-client-secret');
  });

  test('creates its organisation, project and the orchestrator keys at start-up (headless init)', () => {
    expect(envValue(langfuse.values, 'LANGFUSE_INIT_PROJECT_ID').value).toBe('rag-platform');
    expect(envValue(langfuse.values, 'LANGFUSE_INIT_PROJECT_PUBLIC_KEY').valueFrom.secretKeyRef).toEqual({ name: 'langfuse-init', key: 'public-key' });
    expect(envValue(langfuse.values, 'LANGFUSE_INIT_PROJECT_SECRET_KEY').valueFrom.secretKeyRef).toEqual({ name: 'langfuse-init', key: 'secret-key' });
  });

  test('writes below its own object prefix, never the bucket root its identity may not touch', () => {
    const { s3 } = langfuse.values;
    expect([s3.eventUpload.prefix, s3.batchExport.prefix, s3.mediaUpload.prefix]).toEqual(['langfuse/events/', 'langfuse/exports/', 'langfuse/media/']);
  });

  test("does not own a Secret named like the chart's own `langfuse-app`", () => {
    const names = langfuse.manifests.filter((m) => m.kind === 'ExternalSecret').map((m) => m.metadata.name);
    expect(names).not.toContain('langfuse-app');
    expect(langfuse.values.langfuse.salt.secretKeyRef.name).toBe('langfuse-secrets');
  });
});

describe('Langfuse blob storage per cloud', () => {
  test('AWS: the platform bucket with its workload identity, no key anywhere', () => {
    const { values } = langfuseOf(synthExample(join(REPO_ROOT, 'examples', 'gcc-uae-aws.yaml')), 'uae-prod-aws');
    expect(values.s3).toMatchObject({ deploy: false, storageProvider: 's3', forcePathStyle: false });
    expect(values.s3.accessKeyId).toBeUndefined();
    expect(values.s3.secretAccessKey).toBeUndefined();
  });

  test("Azure: its own account, named in the values, with the key from the secret store (Langfuse's Blob client takes no token)", () => {
    const env = 'uae-prod-azure';
    const synth = synthExample(join(REPO_ROOT, 'examples', 'gcc-uae-azure.yaml'));
    const { values, manifests } = langfuseOf(synth, env);
    expect(values.s3).toMatchObject({
      deploy: false,
      storageProvider: 'azure',
      bucket: 'langfuse',
      endpoint: expect.stringMatching(/langfuse-storage_account_[0-9A-F]{8}primary_blob_endpoint\}$/),
      accessKeyId: { value: expect.stringMatching(/langfuse-storage_account_[0-9A-F]{8}name\}$/) },
      secretAccessKey: { secretKeyRef: { name: 'langfuse-blob-storage', key: 'account-key' } },
    });
    const keySecret = manifests.find((m) => m.kind === 'ExternalSecret' && m.metadata.name === 'langfuse-blob-storage');
    expect(keySecret.spec.data).toEqual([{ secretKey: 'account-key', remoteRef: { key: 'rag-uae-prod-azure-langfuse-blob-account-key' } }]);
    // The platform stack writes exactly that entry; the identity keeps no role on the platform container.
    const platform = synth.stacks[`${env}-platform`];
    expect(resourcesOf(platform, 'azurerm_key_vault_secret').map(([, s]) => s.name)).toEqual(['rag-uae-prod-azure-langfuse-blob-account-key']);
    const langfuseGrants = resourcesOf(synth.stacks[`${env}-workloads`], 'azurerm_role_assignment').filter(([id]) => /identity-langfuse_/.test(id)); // not its Postgres Cluster's (identity-langfuse-db)
    expect(langfuseGrants.map(([, g]) => g.role_definition_name)).not.toContain('Storage Blob Data Contributor');
  });
});

test('without a host name Langfuse stays cluster-internal and keeps local sign-in off only through sign-up', () => {
  const input = awsExampleInput();
  delete input.components.langfuse;
  const env = input.name;
  const { values, manifests } = langfuseOf(synthEnvironment(configFrom(input)), env);
  expect(values.langfuse.ingress).toEqual({ enabled: false });
  expect(values.langfuse.nextauth.url).toBe('http://langfuse-web.observability.svc.cluster.local:3000');
  expect(envValue(values, 'AUTH_CUSTOM_ISSUER')).toBeUndefined();
  expect(manifests.some((m) => m.metadata?.name === 'langfuse-sso')).toBe(false);
});

test('the ClickHouse operator image comes from the mirror under the key the chart reads, with its v-tag', () => {
  const synth = synthExample(join(REPO_ROOT, 'examples/gcc-uae-aws.yaml'));
  const [, operator] = resourcesOf(synth.stacks['uae-prod-aws-addons'], 'helm_release').find(([, r]) => r.name === 'clickhouse-operator')!;
  const values = parse(operator.values[0]);
  expect(values.image).toBeUndefined();
  expect(values.manager.image).toEqual({ repository: expect.stringMatching(/\.dkr\.ecr\.me-central-1\.amazonaws\.com\/mirror\/clickhouse\/clickhouse-operator$/), tag: 'v0.0.5' });
});

test('a Langfuse host name must be a fully qualified name, and the SSO issuer https', () => {
  const input = awsExampleInput();
  input.components.langfuse = { hostname: 'Langfuse', sso: { issuer: 'http://idp', clientId: 'x' } };
  expect(problemLines(input)).toEqual(
    expect.arrayContaining([
      expect.stringContaining('components.langfuse.hostname: must be a fully qualified lower-case host name'),
      expect.stringContaining('components.langfuse.sso.issuer: must be an https:// issuer URL'),
    ]),
  );
});
