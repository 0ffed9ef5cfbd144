import { AWS_EXAMPLE, synthExample } from '../helpers';
import { BASELINE_ORDER } from '../../lib/kubernetes/baseline';
import { NAMESPACES } from '../../lib/kubernetes/namespaces';
import { CHARTS } from '../../lib/versions';

const { stacks } = synthExample(AWS_EXAMPLE);
const json = stacks['uae-prod-aws-addons'];
const workloads = stacks['uae-prod-aws-workloads'];
const releases: Record<string, any> = { ...json.resource.helm_release, ...workloads.resource.helm_release };
const release = (name: string) => Object.entries(releases).find(([, r]) => r.name === name)!;

describe('cluster baseline', () => {
  test('namespaces carry Pod Security labels; the device plugin namespace is privileged', () => {
    const ns = Object.values(json.resource.kubernetes_namespace_v1) as any[];
    expect(ns.map((n) => n.metadata.name).sort()).toEqual(NAMESPACES.map((n) => n.name).sort());
    const level = (name: string) => ns.find((n) => n.metadata.name === name).metadata.labels['pod-security.kubernetes.io/enforce'];
    expect(level('rag-platform')).toBe('restricted');
    expect(level('embeddings')).toBe('restricted');
    expect(level('gpu-device-plugin')).toBe('privileged');
  });

  test('add-ons deploy in order, pinned, from the mirror', () => {
    for (let i = 0; i < BASELINE_ORDER.length; i++) {
      const [, r] = release(BASELINE_ORDER[i]);
      expect(r.version).toBe(CHARTS[BASELINE_ORDER[i]].version);
      expect(r.repository).toBe('oci://111122223333.dkr.ecr.me-central-1.amazonaws.com/charts');
      if (i > 0) expect(r.depends_on).toContain(`helm_release.${release(BASELINE_ORDER[i - 1])[0]}`);
    }
  });

  test('the first add-on waits for the PriorityClasses (traefik runs as rag-latency-critical; admission rejects a missing class)', () => {
    const classes = Object.keys(json.resource.kubernetes_priority_class_v1).map((id) => `kubernetes_priority_class_v1.${id}`);
    expect(classes).toHaveLength(2);
    expect(release(BASELINE_ORDER[0])[1].depends_on).toEqual(expect.arrayContaining(classes));
    expect(JSON.parse(release('traefik')[1].values[0]).priorityClassName).toBe('rag-latency-critical');
  });

  test('ingress controller is an internal NLB with IP targets, served by the AWS Load Balancer Controller', () => {
    const v = JSON.parse(release('traefik')[1].values[0]);
    expect(v.service.annotations).toEqual({
      'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
    });
  });

  test('device plugin runs on GPU nodes only', () => {
    const v = JSON.parse(release('nvidia-device-plugin')[1].values[0]);
    expect(v.nodeSelector['rag.platform/pool']).toBe('gpu');
    expect(v.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'present', effect: 'NoSchedule' }]);
    expect(v.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key).toBe('nvidia.com/gpu.present');
  });

  test('ClusterSecretStore (workloads stack) uses the cluster secret-store provider; the identity is in addons', () => {
    const store = (Object.values(workloads.resource.kubernetes_manifest) as any[]).find((m) => m.manifest.kind === 'ClusterSecretStore');
    expect(store.manifest.spec.provider).toEqual({ aws: { service: 'SecretsManager', region: 'me-central-1' } });
    expect(json.resource.aws_eks_pod_identity_association).toBeDefined();
  });

  test('Prometheus selects every ServiceMonitor and PodMonitor in every namespace (the orchestrator and the tenant workers included)', () => {
    const spec = JSON.parse(release('kube-prometheus-stack')[1].values[0]).prometheus.prometheusSpec;
    // NilUsesHelmValues false + no selector = `{}` (everything); true would select only this release's label.
    expect(spec).toMatchObject({ serviceMonitorSelectorNilUsesHelmValues: false, podMonitorSelectorNilUsesHelmValues: false });
    for (const key of ['serviceMonitorSelector', 'podMonitorSelector', 'serviceMonitorNamespaceSelector', 'podMonitorNamespaceSelector']) expect(spec[key]).toBeUndefined();
  });

  test('encrypted default storage class', () => {
    const sc = Object.values(json.resource.kubernetes_storage_class_v1)[0] as any;
    expect(sc).toMatchObject({ reclaim_policy: 'Retain', volume_binding_mode: 'WaitForFirstConsumer', allow_volume_expansion: true });
    expect(sc.parameters.encrypted).toBe('true');
  });

  test('default deny in every application namespace; 443 anywhere only for LiteLLM, Langfuse blobs, the TEI model download and the Postgres, Qdrant and ClickHouse backups', () => {
    const policies = Object.values(json.resource.kubernetes_network_policy_v1) as any[];
    for (const ns of NAMESPACES.filter((n) => n.defaultDeny)) {
      expect(policies.some((p) => p.metadata.namespace === ns.name && p.metadata.name === 'default-deny')).toBe(true);
    }
    const anywhere = policies.filter((p) => JSON.stringify(p.spec).includes('0.0.0.0/0') && p.spec.policy_types.includes('Egress'));
    expect(anywhere.map((p) => p.metadata.name).sort()).toEqual([
      'allow-clickhouse-backup-to-object-storage',
      'allow-langfuse-db-to-object-storage',
      'allow-langfuse-to-object-storage',
      'allow-litellm-db-to-object-storage',
      'allow-litellm-to-llm-providers',
      'allow-qdrant-backup-to-object-storage',
      'allow-tei-to-object-storage',
    ]);
  });

  describe('tenant flows', () => {
    const policies = Object.values(json.resource.kubernetes_network_policy_v1) as any[];
    const byName = (namespace: string, name: string) => policies.find((p) => p.metadata.namespace === namespace && p.metadata.name === name);
    const ports = (rule: any) => rule.ports.map((p: any) => `${p.protocol}/${p.port}`).sort();
    const TENANTS = { namespace_selector: { match_labels: { 'rag.platform/tenant': 'true' } }, pod_selector: { match_labels: {} } };

    test.each([
      ['rag-platform', 'orchestrator', { 'app.kubernetes.io/name': 'orchestrator' }, ['TCP/8080']],
      ['llm-gateway', 'litellm', { 'app.kubernetes.io/name': 'litellm' }, ['TCP/4000']],
      ['vectordb', 'qdrant', { 'app.kubernetes.io/name': 'qdrant' }, ['TCP/6333', 'TCP/6334']],
      ['data', 'ingestion-valkey', { 'app.kubernetes.io/instance': 'ingestion-valkey' }, ['TCP/6379']],
    ])('every tenant namespace may reach %s/%s on exactly its ports', (namespace, target, pods, expected) => {
      const policy = byName(namespace, `allow-tenants-to-${target}-ingress`);
      expect(policy.spec.policy_types).toEqual(['Ingress']);
      expect(policy.spec.pod_selector.match_labels).toEqual(pods);
      expect(policy.spec.ingress).toHaveLength(1);
      expect(policy.spec.ingress[0].from).toEqual([TENANTS]);
      expect(ports(policy.spec.ingress[0])).toEqual(expected);
    });

    test('tenant namespaces reach nothing else, and no policy is written into a tenant namespace', () => {
      const fromTenants = policies.filter((p) => JSON.stringify(p.spec).includes('rag.platform/tenant')).map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
      expect(fromTenants.sort()).toEqual([
        'data/allow-tenants-to-ingestion-valkey-ingress',
        'llm-gateway/allow-tenants-to-litellm-ingress',
        // Prometheus scrapes the tenants' ingestion workers (the tenant stacks admit it on that port).
        'observability/allow-prometheus-to-tenants-egress',
        'rag-platform/allow-tenants-to-orchestrator-ingress',
        'vectordb/allow-tenants-to-qdrant-ingress',
      ]);
      const scrape = byName('observability', 'allow-prometheus-to-tenants-egress');
      expect(scrape.spec.pod_selector.match_labels).toEqual({ 'app.kubernetes.io/name': 'prometheus' });
      expect(scrape.spec.egress[0].to[0].namespace_selector.match_labels).toEqual({ 'rag.platform/tenant': 'true' });
      expect(ports(scrape.spec.egress[0])).toEqual(['TCP/9090']);
      expect(policies.some((p) => p.metadata.namespace.startsWith('tenant'))).toBe(false);
      // LiteLLM's own Valkey admits LiteLLM only.
      const litellmValkey = policies.filter((p) => p.metadata.namespace === 'data' && p.spec.policy_types.includes('Ingress') && p.spec.pod_selector.match_labels?.['app.kubernetes.io/instance'] === 'litellm-valkey');
      expect(litellmValkey.map((p) => p.metadata.name)).toEqual(['allow-litellm-to-litellm-valkey-ingress']);
    });

    test('provisioning Jobs: LiteLLM provisioner to LiteLLM, queue ACL Job to the queue, both ways', () => {
      const provisioner = { 'app.kubernetes.io/component': 'litellm-provisioner' };
      const egress = byName('llm-gateway', 'allow-litellm-provisioner-to-litellm-egress');
      expect(egress.spec.pod_selector.match_labels).toEqual(provisioner);
      expect(egress.spec.egress[0].to[0].pod_selector.match_labels).toEqual({ 'app.kubernetes.io/name': 'litellm' });
      expect(ports(egress.spec.egress[0])).toEqual(['TCP/4000']);
      const ingress = byName('llm-gateway', 'allow-litellm-provisioner-to-litellm-ingress');
      expect(ingress.spec.ingress[0].from[0].pod_selector.match_labels).toEqual(provisioner);
      expect(ports(ingress.spec.ingress[0])).toEqual(['TCP/4000']);

      const acl = { 'app.kubernetes.io/component': 'queue-acl-provisioner' };
      const aclEgress = byName('data', 'allow-queue-acl-provisioner-to-ingestion-valkey-egress');
      expect(aclEgress.spec.pod_selector.match_labels).toEqual(acl);
      expect(aclEgress.spec.egress[0].to[0]).toEqual({
        namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'data' } },
        pod_selector: { match_labels: { 'app.kubernetes.io/instance': 'ingestion-valkey' } },
      });
      expect(ports(aclEgress.spec.egress[0])).toEqual(['TCP/6379']);
      const aclIngress = byName('data', 'allow-queue-acl-provisioner-to-ingestion-valkey-ingress');
      expect(aclIngress.spec.ingress[0].from[0].pod_selector.match_labels).toEqual(acl);
      // KEDA's operator reads stream lag: keda is default-deny too, so both sides.
      const keda = byName('data', 'allow-keda-operator-to-ingestion-valkey-ingress');
      expect(keda.spec.ingress[0].from[0].namespace_selector.match_labels).toEqual({ 'kubernetes.io/metadata.name': 'keda' });
      const kedaEgress = byName('keda', 'allow-keda-operator-to-ingestion-valkey-egress');
      expect(kedaEgress.spec.pod_selector.match_labels).toEqual({ 'app.kubernetes.io/name': 'keda-operator' });
      expect(ports(kedaEgress.spec.egress[0])).toEqual(['TCP/6379']);
    });
  });

  describe('ingestion queue', () => {
    const queue = release('ingestion-valkey')[1];
    const values = JSON.parse(queue.values[0]);
    const litellmValkey = JSON.parse(release('litellm-valkey')[1].values[0]);

    test('its own release of the same pinned valkey chart and image as LiteLLM\'s, in data', () => {
      expect(queue).toMatchObject({ namespace: 'data', chart: CHARTS.valkey.chart, version: CHARTS.valkey.version });
      expect(values.image).toEqual(litellmValkey.image);
    });

    test('admin credentials from an ExternalSecret, ACL file and AOF on the encrypted volume', () => {
      expect(values.auth).toEqual({ enabled: true, usersExistingSecret: 'ingestion-valkey-auth', aclUsers: { default: { permissions: '~* &* +@all' } } });
      const secret = (Object.values(workloads.resource.kubernetes_manifest) as any[]).find((m) => m.manifest.metadata.name === 'ingestion-valkey-auth').manifest;
      expect(secret).toMatchObject({ kind: 'ExternalSecret', metadata: { namespace: 'data' } });
      expect(secret.spec.data).toEqual([{ secretKey: 'default', remoteRef: { key: 'rag/uae-prod-aws/ingestion-queue/admin-password' } }]);
      expect(values.dataStorage).toMatchObject({ enabled: true, className: 'encrypted' });
      expect(values.valkeyConfig.split('\n')).toEqual(['aclfile /data/users.acl', 'appendonly yes', 'appendfsync everysec']);
      const [merge] = values.extraInitContainers;
      expect(merge.volumeMounts).toEqual([
        { name: 'valkey-data', mountPath: '/data' },
        { name: 'valkey-acl', mountPath: '/etc/valkey', readOnly: true },
      ]);
      expect(merge.image).toBe(`${values.image.registry}/${values.image.repository}:${values.image.tag}`);
    });

    test('restricted securityContext for the pod, the server and the init container', () => {
      const restricted = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
      expect(values.podSecurityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(values.securityContext).toMatchObject(restricted);
      expect(values.extraInitContainers[0].securityContext).toMatchObject(restricted);
    });
  });
});
