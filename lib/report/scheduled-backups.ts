import { BACKUP_ANNOTATIONS } from '../kubernetes/shared-labels';
import { BackupEvidence } from './data-stores';
import { addressOf, first, StackSet } from './stacks';

/**
 * Backups run by a CronJob next to the store (the Qdrant snapshots), found by the CronJob's
 * BACKUP_ANNOTATIONS: keyed `<namespace>/<release>` of the Helm release whose volumes they protect. The
 * destination's reference (a bucket or storage account in the platform stack) is followed to the resource,
 * so the pack names the actual bucket/account and its region.
 */
export function scheduledBackups(set: StackSet): Map<string, BackupEvidence> {
  const found = new Map<string, BackupEvidence>();
  for (const cronJob of [...set.resources('kubernetes_cron_job_v1'), ...set.resources('kubernetes_cron_job')]) {
    const metadata = first(cronJob.body.metadata) ?? {};
    const annotations = metadata.annotations ?? {};
    const release = annotations[BACKUP_ANNOTATIONS.of];
    const destination = annotations[BACKUP_ANNOTATIONS.destination];
    if (typeof release !== 'string' || typeof destination !== 'string') continue;
    const ref = set.resolve(cronJob.stack, destination);
    const target = ref ? set.get(ref) : undefined;
    const described = ref && target ? `${destination.replace(/\$\{[^}]+\}/, (expression) => literalOf(expression, target.body) ?? `<${addressOf(ref)}>`)} (${ref.stack}/${addressOf(ref)})` : destination;
    found.set(`${metadata.namespace}/${release}`, {
      destination: `${described}, by CronJob ${metadata.namespace}/${metadata.name}`,
      region: (target ? set.regionOf(target) : undefined) ?? null,
      schedule: `${first(cronJob.body.spec)?.schedule ?? 'unscheduled'} (${first(cronJob.body.spec)?.timezone ?? 'controller time zone'})`,
      retention: annotations[BACKUP_ANNOTATIONS.retention] ?? 'not set',
    });
  }
  return found;
}

/** What a reference to the destination evaluates to, where the resource's literal settings say it. */
function literalOf(expression: string, body: Record<string, any>): string | undefined {
  // Blob: the account's primary endpoint (public Azure cloud, the clouds this platform runs in).
  if (expression.includes('primary_blob_endpoint')) return typeof body.name === 'string' ? `https://${body.name}.blob.core.windows.net/` : undefined;
  return typeof body.bucket === 'string' ? body.bucket : typeof body.name === 'string' ? body.name : undefined;
}
