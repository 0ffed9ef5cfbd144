import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildEnvironment } from '../../apps/build';
import { loadEnvironment } from '../../lib/config/load';
import { BASELINE_ORDER } from '../../lib/kubernetes/baseline';
import { NAMESPACES } from '../../lib/kubernetes/namespaces';
import { CHARTS } from '../../lib/versions';

const ROOT = path.resolve(__dirname, '../..');
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'baseline-'));
const env = buildEnvironment(loadEnvironment(path.join(ROOT, 'examples/gcc-uae-aws.yaml')), outdir);
env.app.synth();
const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', env.workloads.node.id, 'cdk.tf.json'), 'utf8'));
const releases: Record<string, any> = json.resource.helm_release;
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

  test('ingress controller is on an internal load balancer', () => {
    const v = JSON.parse(release('traefik')[1].values[0]);
    expect(v.service.annotations['service.beta.kubernetes.io/aws-load-balancer-internal']).toBe('true');
  });

  test('device plugin runs on GPU nodes only', () => {
    const v = JSON.parse(release('nvidia-device-plugin')[1].values[0]);
    expect(v.nodeSelector['rag.platform/pool']).toBe('gpu');
    expect(v.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'present', effect: 'NoSchedule' }]);
    expect(v.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key).toBe('nvidia.com/gpu.present');
  });

  test('ClusterSecretStore uses the cluster secret-store provider', () => {
    const store = (Object.values(json.resource.kubernetes_manifest) as any[]).find((m) => m.manifest.kind === 'ClusterSecretStore');
    expect(store.manifest.spec.provider).toEqual({ aws: { service: 'SecretsManager', region: 'me-central-1' } });
    expect(json.resource.aws_eks_pod_identity_association).toBeDefined();
  });

  test('encrypted default storage class', () => {
    const sc = Object.values(json.resource.kubernetes_storage_class_v1)[0] as any;
    expect(sc).toMatchObject({ reclaim_policy: 'Retain', volume_binding_mode: 'WaitForFirstConsumer', allow_volume_expansion: true });
    expect(sc.parameters.encrypted).toBe('true');
  });

  test('default deny in every application namespace; 443 anywhere only for LiteLLM and Langfuse blobs', () => {
    const policies = Object.values(json.resource.kubernetes_network_policy_v1) as any[];
    for (const ns of NAMESPACES.filter((n) => n.defaultDeny)) {
      expect(policies.some((p) => p.metadata.namespace === ns.name && p.metadata.name === 'default-deny')).toBe(true);
    }
    const anywhere = policies.filter((p) => JSON.stringify(p.spec).includes('0.0.0.0/0') && p.spec.policy_types.includes('Egress'));
    expect(anywhere.map((p) => p.metadata.name).sort()).toEqual(['allow-langfuse-to-object-storage', 'allow-litellm-to-llm-providers']);
  });
});
