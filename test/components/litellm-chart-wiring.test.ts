import { AWS_EXAMPLE, resourcesOf, synthExample } from '../helpers';
import { AZURE_EXAMPLE } from '../azure/helpers';
import { POSTGRES_CLUSTERS } from '../../lib/kubernetes/network-policies';
import { SIZING } from '../../lib/capacity/assumptions';

/**
 * What the litellm-helm templates read from the values we synthesize (rendered with `helm template` for
 * issue 15, docs/components.md): the proxy and its migration Job take DATABASE_USERNAME/PASSWORD from
 * `db.secret.name` at `db.secret.usernameKey`/`passwordKey`, DATABASE_HOST from `db.endpoint`, PROXY_MASTER_KEY
 * from `masterkeySecretName` at `masterkeySecretKey`, and every `environmentSecrets` entry through envFrom.
 * Kubernetes starts no pod whose secretKeyRef names a missing Secret or key, and the migration Job is a
 * pre-install hook: a wrong name here stops the first install before any proxy pod exists.
 */

const workloadsOf = (file: string) => Object.entries(synthExample(file).stacks).find(([name]) => name.endsWith('-workloads'))![1];

/** Secret name -> keys, for every ExternalSecret that writes a Secret in `llm-gateway`. */
function gatewaySecrets(workloads: any): Map<string, string[]> {
  const secrets = new Map<string, string[]>();
  for (const [, r] of resourcesOf(workloads, 'kubernetes_manifest')) {
    const m = r.manifest;
    if (m?.kind !== 'ExternalSecret' || m.metadata.namespace !== 'llm-gateway') continue;
    const keys = [...(m.spec.data ?? []).map((d: any) => d.secretKey), ...Object.keys(m.spec.target.template?.data ?? {})];
    secrets.set(m.spec.target.name, keys.sort());
  }
  return secrets;
}

describe.each([
  ['AWS', AWS_EXAMPLE],
  ['Azure', AZURE_EXAMPLE],
])('%s example: every Secret the LiteLLM chart reads is one our ExternalSecrets write', (_cloud, file) => {
  const workloads = workloadsOf(file);
  const values = JSON.parse(resourcesOf(workloads, 'helm_release').find(([, r]) => r.name === 'litellm')![1].values[0]);
  const secrets = gatewaySecrets(workloads);

  test('database credentials (proxy and migration Job)', () => {
    expect(values.db).toMatchObject({ useExisting: true, deployStandalone: false });
    expect(secrets.get(values.db.secret.name)).toEqual(expect.arrayContaining([values.db.secret.usernameKey, values.db.secret.passwordKey]));
    // No endpointKey: DATABASE_HOST is the value below, the Postgres Cluster's read-write Service.
    expect(values.db.secret.endpointKey).toBeUndefined();
    expect(values.db.endpoint).toBe(`${POSTGRES_CLUSTERS.litellm}-rw.data.svc.cluster.local`);
    // DATABASE_URL is the chart's default `postgresql://$(DATABASE_USERNAME):$(DATABASE_PASSWORD)@...`: the
    // password goes into the URL unescaped, which is why the generated one is letters and digits only.
    expect(values.db.url).toBeUndefined();
  });

  test('master key', () => {
    expect(secrets.get(values.masterkeySecretName)).toContain(values.masterkeySecretKey);
  });

  test('environment secrets (provider keys, Redis, salt key)', () => {
    expect(values.environmentSecrets.length).toBeGreaterThan(0);
    for (const name of values.environmentSecrets) expect(secrets.has(name)).toBe(true);
  });

  test('the proxy pods request what the capacity planner prices them at (the chart reads `resources` and sets none)', () => {
    expect(values.resources).toEqual({
      requests: { cpu: String(SIZING.litellm.vcpu), memory: `${SIZING.litellm.memoryGiB}Gi` },
      limits: { memory: `${SIZING.litellm.memoryGiB}Gi` },
    });
    expect(values.resources.requests).toEqual({ cpu: '1', memory: '2Gi' });
  });
});
