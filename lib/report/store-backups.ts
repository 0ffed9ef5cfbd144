/**
 * Every persistent volume the platform asks for, with what backs its data up: the one table for "is every
 * store backed up?" (docs/restore.md explains each row; test/e2e/store-backups.test.ts fails when a synthesized
 * example asks for a volume no row covers, or when a row covers nothing). It is also why the platform runs no
 * Velero: each store's data has its own consistent backup, or is disposable by design, and every Kubernetes
 * object is rebuilt from the stacks (docs/restore.md, "Velero").
 */

/**
 * Where a volume comes from: a Helm release's values path, a manifest kind's (`<apiVersion>/<kind>`) spec
 * path, or a claim written as a typed resource (`<namespace>/<name>` of a PersistentVolumeClaim, or of a
 * workload with a volumeClaimTemplate or an ephemeral volume).
 */
export type VolumeSource =
  | { readonly release: string; readonly path: string }
  | { readonly manifest: string; readonly path: string }
  | { readonly claim: string };

export type StoreBackup =
  /** The store's own consistent backup, to the platform's object storage in the region. */
  | { readonly kind: 'object-storage'; readonly by: string; readonly restore: string }
  /** Nothing worth a backup on the volume: what a loss costs, and why that is accepted. */
  | { readonly kind: 'not-needed'; readonly why: string }
  /** Decided but not on main yet (docs/restore.md says what is planned); the store is lost with its volumes. */
  | { readonly kind: 'pending'; readonly plan: string };

export interface StoreVolume {
  readonly store: string;
  readonly holds: string;
  readonly sources: readonly VolumeSource[];
  readonly backup: StoreBackup;
}

export const STORE_BACKUPS: readonly StoreVolume[] = [
  {
    store: 'Qdrant',
    holds: 'tenant collections (embeddings and payloads)',
    sources: [{ release: 'qdrant', path: 'persistence' }],
    backup: {
      kind: 'object-storage',
      by: 'CronJob vectordb/qdrant-backup: a snapshot of every collection on every peer to qdrant/<peer>/<collection>/<stamp>.snapshot, pruned after components.qdrant.backup.retentionDays',
      restore: 'the same script in restore mode, from a Job made of the CronJob: upload-recover of each peer\'s files into the same peer (docs/restore.md, Qdrant)',
    },
  },
  {
    store: 'Qdrant backup staging',
    holds: 'the snapshot being copied, one file at a time, deleted after the upload',
    sources: [{ claim: 'vectordb/qdrant-backup-work' }],
    backup: { kind: 'not-needed', why: 'transient copies of snapshots that are already in (or about to go to) the object storage; empty between runs' },
  },
  {
    store: 'Langfuse ClickHouse',
    holds: 'traces, observations, scores',
    sources: [{ release: 'langfuse', path: 'clickhouse.cluster.storage' }],
    backup: { kind: 'pending', plan: 'ClickHouse BACKUP to clickhouse/ (docs/restore.md, ClickHouse)' },
  },
  {
    store: 'Langfuse ClickHouse Keeper',
    holds: 'replication log and distributed DDL queue of the ClickHouse replicas (no trace data)',
    sources: [{ release: 'langfuse', path: 'clickhouse.keeper.storage' }],
    backup: {
      kind: 'not-needed',
      why: 'coordination state only: three Keepers keep a quorum through one loss; after losing all, SYSTEM RESTORE REPLICA rebuilds the metadata from the servers\' own parts, and the ClickHouse backup restores the data',
    },
  },
  {
    store: 'Postgres (CloudNativePG Clusters litellm-db and langfuse-db)',
    holds: "LiteLLM's virtual keys, teams, budgets and spend; Langfuse's organisations, projects, users, API keys and prompts",
    sources: [{ manifest: 'postgresql.cnpg.io/v1/Cluster', path: 'spec.storage' }],
    backup: {
      kind: 'object-storage',
      by: 'continuous WAL archiving and a daily base backup (ScheduledBackup) through the Barman Cloud plugin to postgres/<cluster>/, kept components.postgres.backup.retentionDays',
      restore: 'a new Cluster bootstrapped with bootstrap.recovery from the same object store, optionally to a point in time (docs/restore.md, Postgres)',
    },
  },
  {
    store: 'LiteLLM Valkey',
    holds: 'response cache, rate-limit counters',
    sources: [{ release: 'litellm-valkey', path: 'dataStorage' }],
    backup: { kind: 'not-needed', why: 'cache and per-minute counters: a loss empties the cache and resets the current rate-limit window' },
  },
  {
    store: 'Langfuse Valkey',
    holds: 'ingestion job queue, caches',
    sources: [{ release: 'langfuse', path: 'redis.dataStorage' }],
    backup: {
      kind: 'not-needed',
      why: 'queue and cache: a loss drops the ingestion jobs still queued (their raw events stay in the bucket under langfuse/events/, not re-processed automatically)',
    },
  },
  {
    store: 'Tenant ingestion queue (Valkey)',
    holds: 'tenant document-ingestion streams and the tenant ACL users',
    sources: [{ release: 'ingestion-valkey', path: 'dataStorage' }],
    backup: {
      kind: 'not-needed',
      why: 'a work queue: a loss drops the ingestion requests not yet consumed (their senders must submit them again) and the tenant ACL users, which come back when each tenant\'s ACL Job is deleted and its stack applied again (docs/restore.md, Valkey)',
    },
  },
  {
    store: 'Prometheus',
    holds: 'platform metrics (no customer data)',
    sources: [{ release: 'kube-prometheus-stack', path: 'prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec' }],
    backup: { kind: 'not-needed', why: 'operational metrics with a retention window; a loss is a gap in the dashboards' },
  },
];

/** The row that covers a volume, if any. */
export function storeOf(source: VolumeSource): StoreVolume | undefined {
  return STORE_BACKUPS.find((row) => row.sources.some((candidate) => sameSource(candidate, source)));
}

function sameSource(a: VolumeSource, b: VolumeSource): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
