import { join } from 'path';
import { parse } from 'yaml';
import { planCapacity } from '../../lib/capacity/plan';
import { loadEnvironment } from '../../lib/config/load';
import { readSynthesizedStacks, StackSet } from '../../lib/report/stacks';
import { inClusterVolumes } from '../../lib/report/volumes';
import { REPO_ROOT, resourcesOf, synthEnvironment, synthExample } from '../helpers';

/**
 * LiteLLM's and Langfuse's Postgres: one CloudNativePG Cluster each in `<env>-workloads`, one instance per
 * zone (at least 2), WAL archive and daily base backups through the Barman Cloud plugin into the
 * environment's own bucket/container below `postgres/<cluster>/`, as a workload identity limited to that
 * prefix; the consumers connect to the Cluster's `-rw` Service; the old groundhog2k releases only exist
 * while components.postgres.importLegacyReleases imports their databases.
 */

const example = (name: string) => join(REPO_ROOT, 'examples', `${name}.yaml`);
const stack = (stacks: Record<string, any>, suffix: string) => Object.entries(stacks).find(([name]) => name.endsWith(`-${suffix}`))![1];
const manifests = (s: any) => resourcesOf(s, 'kubernetes_manifest').map(([, m]) => m.manifest);
const byKind = (s: any, kind: string) => manifests(s).filter((m) => m.kind === kind);
const helmValues = (s: any, name: string) => parse(resourcesOf(s, 'helm_release').find(([, r]) => r.name === name)![1].values[0]);
const CLUSTERS = ['litellm-db', 'langfuse-db'];

describe.each([
  // [example, zones, instances, anti-affinity key]
  ['gcc-uae-aws', 3, 3, 'topology.kubernetes.io/zone'],
  ['gcc-uae-azure', 3, 3, 'topology.kubernetes.io/zone'],
  // UAE Central has no zones: two instances on different nodes (survive a node or volume loss, not the zone's).
  ['core42-uae-azure', 1, 2, 'kubernetes.io/hostname'],
])('%s', (name, zones, instances, topologyKey) => {
  const config = loadEnvironment(example(name));
  const { stacks, outdir } = synthExample(example(name));
  const workloads = stack(stacks, 'workloads');
  const addons = stack(stacks, 'addons');
  const aws = config.cloud === 'aws';
  const clusters = byKind(workloads, 'Cluster');
  const cluster = (clusterName: string) => clusters.find((c) => c.metadata.name === clusterName)!;

  test('one Cluster per consumer in data, nothing else of postgresql.cnpg.io but their ScheduledBackups', () => {
    expect(config.network.zoneCount).toBe(zones);
    expect(clusters.map((c) => `${c.metadata.namespace}/${c.metadata.name}`).sort()).toEqual(['data/langfuse-db', 'data/litellm-db']);
    expect(clusters.every((c) => c.apiVersion === 'postgresql.cnpg.io/v1')).toBe(true);
    const kinds = manifests(workloads).filter((m) => /cnpg\.io\//.test(m.apiVersion)).map((m) => m.kind).sort();
    expect(kinds).toEqual(['Cluster', 'Cluster', 'ObjectStore', 'ObjectStore', 'ScheduledBackup', 'ScheduledBackup']);
  });

  test.each(CLUSTERS)('%s: instances per zone, required anti-affinity, encrypted class, mirrored image, no superuser', (clusterName) => {
    const { spec } = cluster(clusterName);
    expect(spec.instances).toBe(instances);
    expect(spec.affinity).toMatchObject({ enablePodAntiAffinity: true, podAntiAffinityType: 'required', topologyKey });
    expect(spec.storage.storageClass).toBe('encrypted');
    expect(spec.imageName).toBe(`${config.registry.imageMirror}/cloudnative-pg/postgresql:18.6-202608170814-standard-trixie`);
    expect(spec.enableSuperuserAccess).toBe(false);
  });

  test('the capacity plan prices each Cluster as deployed: its instances, each with a volume of its size', () => {
    const plan = planCapacity({ steadyQps: 50, vectors: 20_000_000, dims: 768, peakFactor: 3, cloud: config.cloud, region: config.region, currency: 'USD' });
    const priced = [...plan.monthlyCost.lines.litellm, ...plan.monthlyCost.lines.langfuse].map((line) => line.what);
    for (const [clusterName, app] of [['litellm-db', 'LiteLLM'], ['langfuse-db', 'Langfuse']]) {
      const { spec } = cluster(clusterName);
      expect(priced).toContain(`${spec.instances} x ${app} Postgres (1 vCPU, 2 GiB) on the general pool`);
      expect(priced).toContain(`${spec.instances} x ${spec.storage.size.replace('Gi', '')} GiB volume (${app} Postgres)`);
    }
  });

  test.each(CLUSTERS)('%s: backups through the plugin into the platform bucket/container, prefix postgres/, retention from the file', (clusterName) => {
    const { spec } = cluster(clusterName);
    expect(spec.plugins).toEqual([{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: `${clusterName}-backups` } }]);
    expect(spec.backup).toBeUndefined();
    const store = byKind(workloads, 'ObjectStore').find((s) => s.metadata.name === `${clusterName}-backups`)!;
    expect(store.metadata.namespace).toBe('data');
    expect(store.spec.retentionPolicy).toBe('30d');
    const configuration = store.spec.configuration;
    if (aws) {
      // The platform stack's bucket (remote state), and no encryption header: the bucket's default CMK applies.
      expect(configuration.destinationPath).toMatch(/^s3:\/\/\$\{data\.terraform_remote_state\.[^}]+platform-bucket[^}]+bucket\}\/postgres$/);
      expect(configuration.s3Credentials).toEqual({ inheritFromIAMRole: true });
      expect(JSON.stringify(configuration)).not.toMatch(/encryption|accessKeyId|secretAccessKey/);
      expect(store.spec.instanceSidecarConfiguration.env).toEqual([{ name: 'AWS_DEFAULT_REGION', value: config.region }]);
    } else {
      expect(configuration.destinationPath).toMatch(/^\$\{data\.terraform_remote_state\.[^}]+primary_blob_endpoint\}platform\/postgres$/);
      expect(configuration.azureCredentials).toEqual({ inheritFromAzureAD: true });
      expect(JSON.stringify(configuration)).not.toMatch(/storageKey|storageSasToken|connectionString/);
    }
    const scheduled = byKind(workloads, 'ScheduledBackup').find((s) => s.spec.cluster.name === clusterName)!;
    expect(scheduled.spec).toMatchObject({ method: 'plugin', pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' }, schedule: '0 0 2 * * *', immediate: true });
  });

  test.each(CLUSTERS)('%s: the workload identity of its ServiceAccount may write only below postgres/%s/', (clusterName) => {
    const prefix = `postgres/${clusterName}/`;
    if (aws) {
      const [, association] = resourcesOf(workloads, 'aws_eks_pod_identity_association').find(([, a]) => a.service_account === clusterName)!;
      expect(association.namespace).toBe('data');
      const [, policy] = resourcesOf(workloads, 'aws_iam_role_policy').find(([, p]) => p.name === clusterName)!;
      const statements = JSON.parse(policy.policy).Statement as any[];
      const objects = statements.filter((s) => [s.Action].flat().includes('s3:PutObject'));
      expect(objects).toHaveLength(1);
      expect(objects[0].Resource).toMatch(new RegExp(`/${prefix}\\*$`));
      const listings = statements.filter((s) => s.Action === 's3:ListBucket');
      // A listing of its own prefix, and HeadBucket (barman's empty-archive check), which carries no prefix.
      expect(listings.map((s) => s.Condition)).toEqual([{ StringLike: { 's3:prefix': `${prefix}*` } }, { Null: { 's3:prefix': 'true' } }]);
      expect(statements.flatMap((s) => [s.Action].flat()).filter((a: string) => a.startsWith('s3:')).sort()).toEqual(['s3:DeleteObject', 's3:GetObject', 's3:ListBucket', 's3:ListBucket', 's3:PutObject']);
      expect(cluster(clusterName).spec.serviceAccountTemplate).toBeUndefined();
    } else {
      const [, federation] = resourcesOf(workloads, 'azurerm_federated_identity_credential').find(([, f]) => f.subject === `system:serviceaccount:data:${clusterName}`)!;
      expect(federation).toBeDefined();
      const assignments = resourcesOf(workloads, 'azurerm_role_assignment').filter(([key]) => key.includes(`identity-${clusterName}_`));
      expect(assignments).toHaveLength(1);
      expect(assignments[0][1].condition).toContain(`StringStartsWith '${prefix}'`);
      const { spec } = cluster(clusterName);
      expect(Object.keys(spec.serviceAccountTemplate.metadata.annotations)).toContain('azure.workload.identity/client-id');
      expect(spec.inheritedMetadata.labels).toEqual({ 'azure.workload.identity/use': 'true' });
    }
  });

  test.each([
    ['litellm-db', 'litellm', 'litellm'],
    ['langfuse-db', 'langfuse', 'langfuse'],
  ])('%s: the owner password is the generated catalog entry, synced as a basic-auth Secret (no value in the JSON)', (clusterName, owner, component) => {
    const { initdb } = cluster(clusterName).spec.bootstrap;
    expect(initdb).toEqual({ database: owner, owner, secret: { name: `${clusterName}-credentials` } });
    const secret = byKind(workloads, 'ExternalSecret').find((s) => s.metadata.name === `${clusterName}-credentials`)!;
    expect(secret.metadata.namespace).toBe('data');
    expect(secret.spec.target.template).toEqual({ type: 'kubernetes.io/basic-auth', mergePolicy: 'Merge', data: { username: owner } });
    expect(secret.spec.data).toHaveLength(1);
    expect(secret.spec.data[0].secretKey).toBe('password');
    expect(secret.spec.data[0].remoteRef.key).toMatch(new RegExp(`${component}.postgres-password$`));
    expect(JSON.stringify(workloads)).not.toMatch(/postgres-admin-password/);
  });

  test('LiteLLM and Langfuse connect to their Cluster\'s -rw Service; no groundhog2k Postgres is deployed', () => {
    const releases = resourcesOf(workloads, 'helm_release').map(([, r]) => r);
    expect(releases.filter((r) => r.chart === 'postgres')).toEqual([]);
    expect(helmValues(workloads, 'litellm').db).toMatchObject({ endpoint: 'litellm-db-rw.data.svc.cluster.local', database: 'litellm', useExisting: true });
    const langfuse = helmValues(workloads, 'langfuse').postgresql;
    expect(langfuse).toEqual({
      deploy: false,
      host: 'langfuse-db-rw.data.svc.cluster.local',
      port: 5432,
      auth: { username: 'langfuse', database: 'langfuse', existingSecret: 'langfuse-postgresql-auth', secretKeys: { userPasswordKey: 'password' } },
    });
  });

  test('the Barman Cloud plugin is the pinned chart in cnpg-system, its images from the mirror', () => {
    const [, release] = resourcesOf(addons, 'helm_release').find(([, r]) => r.name === 'plugin-barman-cloud')!;
    expect(release).toMatchObject({ chart: 'plugin-barman-cloud', version: '0.7.0', namespace: 'cnpg-system' });
    const values = parse(release.values[0]);
    expect(values.image).toEqual({ registry: config.registry.imageMirror, repository: 'cloudnative-pg/plugin-barman-cloud', tag: 'v0.13.0' });
    expect(values.sidecarImage).toEqual({ registry: config.registry.imageMirror, repository: 'cloudnative-pg/plugin-barman-cloud-sidecar', tag: 'v0.13.0' });
  });

  test('the evidence pack lists each Cluster with its backup destination, schedule and retention', () => {
    const volumes = inClusterVolumes(new StackSet(readSynthesizedStacks(outdir))).filter((v) => /_database_cluster_/.test(v.address));
    expect(volumes).toHaveLength(2);
    for (const clusterName of CLUSTERS) {
      const volume = volumes.find((v) => v.address.includes(clusterName.split('-')[0]))!;
      expect(volume.holds).toMatch(/^Postgres volume/);
      expect(volume.backup).toMatchObject({ region: config.region, schedule: '0 0 2 * * *', retention: '30d' });
      expect(volume.backup!.destination).toMatch(new RegExp(`/postgres/${clusterName}/$`));
    }
  });

  describe('network policies', () => {
    const policies = resourcesOf(addons, 'kubernetes_network_policy_v1').map(([, p]) => p);
    const cilium = manifests(addons).filter((m) => m.kind === 'CiliumNetworkPolicy');
    const ports = (rule: any) => (rule.ports ?? []).map((p: any) => `${p.protocol}/${p.port}`).sort();
    const selects = (p: any, labels: Record<string, string>) => JSON.stringify(p.spec.pod_selector.match_labels) === JSON.stringify(labels);

    test.each(CLUSTERS)('%s accepts exactly its consumer on 5432, its own instances on 5432+8000, the operator on 8000', (clusterName) => {
      const ingress = policies.filter((p) => p.metadata.namespace === 'data' && p.spec.policy_types.includes('Ingress') && selects(p, { 'cnpg.io/cluster': clusterName }));
      const consumer = clusterName === 'litellm-db' ? 'llm-gateway' : 'observability';
      const summary = ingress.map((p) => `${p.spec.ingress[0].from[0].namespace_selector.match_labels['kubernetes.io/metadata.name']} ${ports(p.spec.ingress[0]).join(',')}`).sort();
      expect(summary).toEqual([`${consumer} TCP/5432`, 'cnpg-system TCP/8000', 'data TCP/5432,TCP/8000'].sort());
    });

    test.each(CLUSTERS)('%s egresses to itself, the API server, the object storage and the credential agent only', (clusterName) => {
      const egress = policies.filter((p) => p.metadata.namespace === 'data' && p.spec.policy_types.includes('Egress') && selects(p, { 'cnpg.io/cluster': clusterName }));
      const names = egress.map((p) => p.metadata.name).sort();
      const expected = [`allow-${clusterName}-to-${clusterName}-egress`, `allow-${clusterName}-to-object-storage`];
      if (aws) {
        // EKS Pod Identity: the node-local agent hands out the credentials; AKS projects a token (no agent).
        expect(names).toEqual([...expected, `allow-${clusterName}-to-api-server`, `allow-${clusterName}-to-workload-identity-agent`].sort());
      } else {
        expect(names).toEqual(expected.sort());
        const api = cilium.find((m) => m.metadata.namespace === 'data' && m.metadata.name === `allow-${clusterName}-to-api-server`)!;
        expect(api.spec.egress[0].toEntities).toEqual(['kube-apiserver']);
      }
      const storage = egress.find((p) => p.metadata.name === `allow-${clusterName}-to-object-storage`)!;
      expect(ports(storage.spec.egress[0])).toEqual(['TCP/443']);
    });

    test('the operator reaches the instance managers and the plugin; no import flow without the flag', () => {
      const operatorEgress = policies.filter((p) => p.metadata.namespace === 'cnpg-system' && p.spec.policy_types.includes('Egress') && selects(p, { 'app.kubernetes.io/name': 'cloudnative-pg' }));
      expect(operatorEgress.map((p) => `${p.metadata.name} ${ports(p.spec.egress[0])}`).sort()).toEqual([
        'allow-cnpg-operator-to-barman-cloud-plugin-egress TCP/9090',
        'allow-cnpg-operator-to-langfuse-db-egress TCP/8000',
        'allow-cnpg-operator-to-litellm-db-egress TCP/8000',
      ]);
      const plugin = policies.find((p) => p.metadata.name === 'allow-cnpg-operator-to-barman-cloud-plugin-ingress')!;
      expect(plugin.spec.pod_selector.match_labels).toEqual({ 'app.kubernetes.io/name': 'plugin-barman-cloud' });
      expect(policies.filter((p) => /litellm-postgres|langfuse-db-to-observability/.test(p.metadata.name))).toEqual([]);
    });
  });
});

describe('retention and the migration of an existing environment (components.postgres)', () => {
  const config = loadEnvironment(example('gcc-uae-aws'));
  const migrating = { ...config, components: { ...config.components, postgres: { backup: { retentionDays: 7 }, importLegacyReleases: true } } };
  const stacks = synthEnvironment(migrating).stacks;
  const workloads = stack(stacks, 'workloads');
  const addons = stack(stacks, 'addons');
  const cluster = (clusterName: string) => byKind(workloads, 'Cluster').find((c) => c.metadata.name === clusterName)!;

  test('retentionDays becomes the ObjectStores\' retention policy', () => {
    expect(byKind(workloads, 'ObjectStore').map((s) => s.spec.retentionPolicy)).toEqual(['7d', '7d']);
  });

  test.each([
    ['litellm-db', 'litellm', 'litellm-postgres.data.svc.cluster.local'],
    ['langfuse-db', 'langfuse', 'langfuse-postgresql.observability.svc.cluster.local'],
  ])('%s imports its database from the old server, as the owner with the same password', (clusterName, owner, host) => {
    const { spec } = cluster(clusterName);
    expect(spec.bootstrap.initdb.import).toEqual({ type: 'microservice', databases: [owner], source: { externalCluster: 'legacy' } });
    expect(spec.externalClusters).toEqual([
      { name: 'legacy', connectionParameters: { host, port: '5432', user: owner, dbname: owner }, password: { name: `${clusterName}-credentials`, key: 'password' } },
    ]);
  });

  test('the old releases stay (same construct id, so the same state), and the consumers already use the Clusters', () => {
    const [key, release] = resourcesOf(workloads, 'helm_release').find(([, r]) => r.name === 'litellm-postgres')!;
    expect(key).toMatch(/^litellm_postgres_/);
    expect(release.chart).toBe('postgres');
    // The release waits for nothing new; the Cluster (and its import) waits for the release.
    expect(resourcesOf(workloads, 'kubernetes_manifest').find(([, m]) => m.manifest.kind === 'Cluster' && m.manifest.metadata.name === 'litellm-db')![1].depends_on).toContain(`helm_release.${key}`);
    expect(helmValues(workloads, 'litellm').db.endpoint).toBe('litellm-db-rw.data.svc.cluster.local');
    const langfuse = helmValues(workloads, 'langfuse').postgresql;
    expect(langfuse).toMatchObject({ deploy: true, host: 'langfuse-db-rw.data.svc.cluster.local', storage: { className: 'encrypted' } });
  });

  test('the import flows exist only while migrating', () => {
    const policies = resourcesOf(addons, 'kubernetes_network_policy_v1').map(([, p]) => p.metadata.name);
    expect(policies).toEqual(
      expect.arrayContaining([
        'allow-litellm-db-to-litellm-postgres-egress',
        'allow-litellm-db-to-litellm-postgres-ingress',
        'allow-langfuse-db-to-observability-egress',
        'allow-langfuse-db-to-observability-ingress',
      ]),
    );
  });
});
