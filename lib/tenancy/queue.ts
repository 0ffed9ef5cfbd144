import { endpointHost, PLATFORM_ENDPOINTS } from './platform-contract';

/**
 * The tenant's ingestion queue: a Valkey (Redis protocol) stream in the platform's `data` namespace.
 *
 * Why a stream in-cluster rather than SQS / Service Bus: it is the same on EKS and AKS (the tenancy layer
 * stays cloud-neutral, like lib/components), it needs no cloud resource per tenant (a new tenant is a new
 * key prefix, not a new cloud queue with its own IAM), its data never leaves the cluster, and KEDA scales
 * on it natively (`redis-streams`, consumer-group lag). Each tenant has its own stream, consumer group and
 * quarantine stream under `tenant:<id>:`, and its own Valkey ACL user restricted to that key pattern.
 */
export interface TenantQueue {
  readonly address: string;
  readonly stream: string;
  readonly consumerGroup: string;
  /** Where a message goes after `maxDeliveries` failed attempts (the worker moves it; nothing retries it). */
  readonly quarantineStream: string;
  readonly maxDeliveries: number;
  /** The tenant's Valkey ACL user, allowed `~tenant:<id>:*` only. */
  readonly username: string;
  readonly keyPattern: string;
}

export function tenantQueue(tenantId: string, maxDeliveries: number): TenantQueue {
  const prefix = `tenant:${tenantId}:`;
  return {
    address: `${endpointHost(PLATFORM_ENDPOINTS.queue)}:${PLATFORM_ENDPOINTS.queue.servicePort}`,
    stream: `${prefix}ingest`,
    consumerGroup: 'ingestion-workers',
    quarantineStream: `${prefix}ingest:quarantine`,
    maxDeliveries,
    username: `tenant-${tenantId}`,
    keyPattern: `${prefix}*`,
  };
}
