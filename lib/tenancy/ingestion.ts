import { Construct } from 'constructs';
import { DeploymentV1 } from '../kubernetes/resources';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { PoolPlacement } from '../cluster/cluster-info';
import { PORTS } from '../kubernetes/network-policies';
import { tenantLabels } from './labels';
import { EMBEDDINGS_MODEL, endpointUrl, PLATFORM_ENDPOINTS } from './platform-contract';
import { TenantQueue } from './queue';
import { TENANT_CREDENTIAL_KEYS } from './credentials';
import { TENANT_SCOPE_CONFIG_MAP } from './scope';
import { RESTRICTED_CONTAINER_SECURITY_CONTEXT, RESTRICTED_POD_SECURITY_CONTEXT } from './security-context';

export interface TenantIngestionProps {
  readonly tenantId: string;
  readonly namespace: string;
  readonly serviceAccountName: string;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly image: string;
  readonly placement: PoolPlacement;
  readonly queue: TenantQueue;
  readonly credentialsSecret: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Unprocessed stream entries per worker before KEDA adds one. */
  readonly lagPerReplica: number;
}

const WORKER = 'ingestion-worker';

/**
 * The worker's health contract (the orchestrator image in `ingest-worker` mode, like the orchestrator
 * chart's server mode): `GET /healthz` answers while the process is alive, `GET /readyz` while the queue
 * and the platform services are reachable, on `$PORT`. Probes come from the kubelet on the node.
 */
export const INGESTION_HEALTH = { port: 8080, portName: 'health', livenessPath: '/healthz', readinessPath: '/readyz' } as const;

/**
 * The worker's side of the metrics contract (docs/tenancy.md): `/metrics` on `$METRICS_PORT`, the same port
 * as the orchestrator image's server mode. Scraped by the tenant's PodMonitor; the tenant's NetworkPolicy
 * admits Prometheus on this port only (lib/tenancy/network-policy.ts).
 */
export const INGESTION_METRICS = { port: PORTS.orchestratorMetrics, portName: 'metrics', path: '/metrics', interval: '30s' } as const;

/** The labels that select a tenant's worker pods (Deployment selector, PodMonitor, metrics NetworkPolicy). */
export function ingestionWorkerSelector(tenantId: string): Record<string, string> {
  return { tenant_id: tenantId, 'app.kubernetes.io/component': WORKER };
}

/**
 * The tenant's ingestion workers: a Deployment in the tenant namespace (restricted securityContext,
 * `TENANT_ID` fixed in the pod, so a worker cannot process another tenant's documents by mistake) that
 * KEDA scales on the tenant's own stream, from zero when the tenant is idle. Terraform creates the
 * Deployment at zero replicas and then leaves the count to KEDA.
 */
export class TenantIngestion extends Construct {
  readonly deployment: DeploymentV1;
  readonly scaledObject: Manifest;
  readonly podMonitor: Manifest;
  readonly scaledObjectName = WORKER;

  constructor(scope: Construct, id: string, props: TenantIngestionProps) {
    super(scope, id);
    const labels = tenantLabels(props.tenantId, WORKER);
    const selector = ingestionWorkerSelector(props.tenantId);
    const { queue } = props;
    this.deployment = new DeploymentV1(this, 'deployment', {
      metadata: { name: WORKER, namespace: props.namespace, labels },
      spec: {
        replicas: String(props.minReplicas),
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: { ...labels, ...props.podLabels } },
          spec: {
            serviceAccountName: props.serviceAccountName,
            automountServiceAccountToken: false,
            securityContext: RESTRICTED_POD_SECURITY_CONTEXT,
            nodeSelector: { ...props.placement.nodeSelector },
            toleration: props.placement.tolerations.map((t) => ({ key: t.key, operator: t.operator, value: t.value, effect: t.effect })),
            // Lets a worker finish (or hand back) the entry it holds before it is stopped on scale-in.
            terminationGracePeriodSeconds: 120,
            container: [
              {
                name: 'worker',
                image: props.image,
                // Always: the kubelet re-checks the tenant's right to the image on every start, so a pod
                // cannot run an image another tenant's pull cached on the node (tags are immutable, so the
                // check is a manifest round-trip to the in-region mirror, not a re-download).
                imagePullPolicy: 'Always',
                args: ['ingest-worker'],
                port: [
                  { name: INGESTION_HEALTH.portName, containerPort: INGESTION_HEALTH.port, protocol: 'TCP' },
                  { name: INGESTION_METRICS.portName, containerPort: INGESTION_METRICS.port, protocol: 'TCP' },
                ],
                envFrom: [{ configMapRef: { name: TENANT_SCOPE_CONFIG_MAP } }],
                env: [
                  { name: 'TENANT_ID', value: props.tenantId },
                  { name: 'QUEUE_ADDRESS', value: queue.address },
                  { name: 'QUEUE_STREAM', value: queue.stream },
                  { name: 'QUEUE_CONSUMER_GROUP', value: queue.consumerGroup },
                  { name: 'QUEUE_QUARANTINE_STREAM', value: queue.quarantineStream },
                  { name: 'QUEUE_MAX_DELIVERIES', value: String(queue.maxDeliveries) },
                  { name: 'QUEUE_USERNAME', valueFrom: { secretKeyRef: { name: props.credentialsSecret, key: TENANT_CREDENTIAL_KEYS.queueUsername } } },
                  { name: 'QUEUE_PASSWORD', valueFrom: { secretKeyRef: { name: props.credentialsSecret, key: TENANT_CREDENTIAL_KEYS.queuePassword } } },
                  { name: 'LITELLM_API_KEY', valueFrom: { secretKeyRef: { name: props.credentialsSecret, key: TENANT_CREDENTIAL_KEYS.litellmKey } } },
                  // Embeddings through LiteLLM with the embeddings key (the tenant's monthly token cap); TEI admits only LiteLLM.
                  { name: 'LITELLM_EMBEDDINGS_API_KEY', valueFrom: { secretKeyRef: { name: props.credentialsSecret, key: TENANT_CREDENTIAL_KEYS.litellmEmbeddingsKey } } },
                  { name: 'ORCHESTRATOR_URL', value: endpointUrl(PLATFORM_ENDPOINTS.orchestrator) },
                  { name: 'LITELLM_URL', value: endpointUrl(PLATFORM_ENDPOINTS.litellm) },
                  { name: 'EMBEDDINGS_URL', value: endpointUrl(PLATFORM_ENDPOINTS.litellm) },
                  { name: 'EMBEDDINGS_MODEL', value: EMBEDDINGS_MODEL },
                  { name: 'PORT', value: String(INGESTION_HEALTH.port) },
                  { name: 'METRICS_PORT', value: String(INGESTION_METRICS.port) },
                ],
                // Startup holds liveness off for up to two minutes while the worker joins its consumer group.
                startupProbe: { httpGet: { path: INGESTION_HEALTH.livenessPath, port: INGESTION_HEALTH.portName }, periodSeconds: 5, failureThreshold: 24 },
                livenessProbe: { httpGet: { path: INGESTION_HEALTH.livenessPath, port: INGESTION_HEALTH.portName }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
                readinessProbe: { httpGet: { path: INGESTION_HEALTH.readinessPath, port: INGESTION_HEALTH.portName }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 },
                resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
                securityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
                volumeMount: [{ name: 'tmp', mountPath: '/tmp' }],
              },
            ],
            volume: [{ name: 'tmp', emptyDir: { sizeLimit: '1Gi' } }],
          },
        },
      },
      waitForRollout: false,
      lifecycle: { ignoreChanges: ['spec[0].replicas'] },
    });

    const authentication = new Manifest(this, 'trigger-authentication', {
      manifest: {
        apiVersion: 'keda.sh/v1alpha1',
        kind: 'TriggerAuthentication',
        metadata: { name: 'tenant-queue', namespace: props.namespace, labels },
        spec: {
          secretTargetRef: [
            { parameter: 'username', name: props.credentialsSecret, key: TENANT_CREDENTIAL_KEYS.queueUsername },
            { parameter: 'password', name: props.credentialsSecret, key: TENANT_CREDENTIAL_KEYS.queuePassword },
          ],
        },
      },
    });
    this.scaledObject = new Manifest(this, 'scaled-object', {
      manifest: {
        apiVersion: 'keda.sh/v1alpha1',
        kind: 'ScaledObject',
        metadata: {
          name: WORKER,
          namespace: props.namespace,
          labels,
          annotations: { 'rag.platform/queue': queue.stream, 'rag.platform/quarantine-queue': queue.quarantineStream },
        },
        spec: {
          scaleTargetRef: { name: WORKER },
          minReplicaCount: props.minReplicas,
          maxReplicaCount: props.maxReplicas,
          cooldownPeriod: 300,
          triggers: [
            {
              type: 'redis-streams',
              metadata: {
                address: queue.address,
                stream: queue.stream,
                consumerGroup: queue.consumerGroup,
                // Lag (entries not yet delivered to the group), not pending entries: scales up from zero.
                lagCount: String(props.lagPerReplica),
                activationLagCount: '0',
              },
              authenticationRef: { name: 'tenant-queue' },
            },
          ],
        },
      },
      dependsOn: [this.deployment, authentication],
    });

    // Prometheus (kube-prometheus-stack, podMonitorSelector and its namespace selector: all) scrapes the
    // workers here. `tenant_id` is set on the target from this stack: with honorLabels false a target label
    // wins over a scraped label of the same name, so a worker's series cannot claim another tenant's id.
    this.podMonitor = new Manifest(this, 'pod-monitor', {
      manifest: {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PodMonitor',
        metadata: { name: WORKER, namespace: props.namespace, labels },
        spec: {
          selector: { matchLabels: selector },
          podMetricsEndpoints: [
            {
              port: INGESTION_METRICS.portName,
              path: INGESTION_METRICS.path,
              interval: INGESTION_METRICS.interval,
              honorLabels: false,
              relabelings: [{ action: 'replace', targetLabel: 'tenant_id', replacement: props.tenantId }],
            },
          ],
        },
      },
    });
  }
}
