import { createHash } from 'crypto';
import { Construct } from 'constructs';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { JobV1 } from '../kubernetes/resources';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { tenantObjectName } from './labels';
import { endpointUrl, LITELLM_MASTER_KEY_SECRET, PLATFORM_ENDPOINTS, PLATFORM_NAMESPACES } from './platform-contract';
import { StoreAccess } from './controller-store';
import { GeneratedTenantSecret } from './generated-secret';
import { PROVISIONER_COMPONENTS } from '../kubernetes/shared-labels';
import { LITELLM_PROVISION_SCRIPT } from './litellm-provision-script';
import { pythonSpecJobPod } from './python-spec-job';

export interface LitellmKeyProvisioningProps {
  readonly tenantId: string;
  /** Object names: `tenant-<id>-<secretSuffix>` (key Secret), `tenant-<id>-<specSuffix>` (ConfigMap, Job prefix). */
  readonly secretSuffix: string;
  readonly specSuffix: string;
  /** `{team?, key}` as LITELLM_PROVISION_SCRIPT reads it. */
  readonly spec: Record<string, unknown>;
  /** Pod and object labels (the provisioner component the platform's NetworkPolicies admit to LiteLLM). */
  readonly labels: Readonly<Record<string, string>>;
  /** Extra labels of the ConfigMap and Job (the budget marker). */
  readonly specLabels?: Readonly<Record<string, string>>;
  readonly remoteKey: string;
  readonly pushMetadata?: Readonly<Record<string, unknown>>;
  readonly store: StoreAccess;
  readonly image: string;
}

/** The Secret key the provisioning Job reads the tenant's key from. */
const KEY_SECRET_KEY = 'key';

/**
 * One LiteLLM virtual key of a tenant, provisioned in `llm-gateway` next to the master key (which never
 * leaves that namespace), created on `scope` with fixed child ids (construct ids are API):
 *  1. `generated-key`: a Password generator + PushSecret create the key value in the secret store;
 *  2. `key-secret`: an ExternalSecret brings it back for the Job (LiteLLM wants `sk-...`);
 *  3. `spec`: a ConfigMap with the desired key (and team), non-secret, and the script;
 *  4. `job`: the Job (name = hash of spec + script) applies it idempotently; Terraform waits for it.
 */
export function provisionLitellmKey(scope: Construct, props: LitellmKeyProvisioningProps): { configMap: ConfigMapV1; job: JobV1 } {
  const namespace = PLATFORM_NAMESPACES.llmGateway;
  const labels = { ...props.labels };
  const specLabels = { ...labels, ...props.specLabels };
  const specJson = JSON.stringify(props.spec, null, 2);
  const keySecretName = tenantObjectName(props.tenantId, props.secretSuffix);
  const generated = new GeneratedTenantSecret(scope, 'generated-key', {
    tenantId: props.tenantId,
    namespace,
    name: keySecretName,
    remoteKey: props.remoteKey,
    pushMetadata: props.pushMetadata,
    store: props.store,
    length: 48,
    component: PROVISIONER_COMPONENTS.litellm,
  });
  const externalSecret = new Manifest(scope, 'key-secret', {
    manifest: {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: keySecretName, namespace, labels },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { ...props.store.ref },
        target: {
          name: keySecretName,
          creationPolicy: 'Owner',
          template: { metadata: { labels }, data: { [KEY_SECRET_KEY]: 'sk-{{ .value }}' } },
        },
        data: [{ secretKey: 'value', remoteRef: { key: props.remoteKey } }],
      },
    },
    dependsOn: [generated.pushSecret],
  });

  const configMap = new ConfigMapV1(scope, 'spec', {
    metadata: { name: tenantObjectName(props.tenantId, props.specSuffix), namespace, labels: specLabels },
    data: { 'tenant.json': specJson, 'provision.py': LITELLM_PROVISION_SCRIPT },
  });

  const revision = createHash('sha256').update(specJson).update(LITELLM_PROVISION_SCRIPT).digest('hex').slice(0, 8);
  const job = new JobV1(scope, 'job', {
    metadata: { name: tenantObjectName(props.tenantId, `${props.specSuffix}-${revision}`), namespace, labels: specLabels },
    spec: {
      backoffLimit: 4,
      // The key Secret appears only after the PushSecret/ExternalSecret round trip: allow for it.
      activeDeadlineSeconds: 1800,
      template: pythonSpecJobPod({
        labels: { ...labels },
        containerName: 'provision',
        image: props.image,
        configMapName: configMap.metadata.name,
        script: 'provision.py',
        spec: 'tenant.json',
        env: [
          { name: 'LITELLM_URL', value: endpointUrl(PLATFORM_ENDPOINTS.litellm) },
          { name: 'LITELLM_MASTER_KEY', valueFrom: { secretKeyRef: { name: LITELLM_MASTER_KEY_SECRET.name, key: LITELLM_MASTER_KEY_SECRET.key } } },
          { name: 'TENANT_KEY', valueFrom: { secretKeyRef: { name: keySecretName, key: KEY_SECRET_KEY } } },
        ],
      }),
    },
    waitForCompletion: true,
    timeouts: { create: '30m', update: '30m' },
    dependsOn: [externalSecret],
  });
  return { configMap, job };
}
