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
    const name = target?.body.bucket ?? target?.body.name;
    const described = ref
      ? `${destination.replace(/\$\{[^}]+\}/, typeof name === 'string' ? name : `<${addressOf(ref)}>`)} (${ref.stack}/${addressOf(ref)})`
      : destination;
    found.set(`${metadata.namespace}/${release}`, {
      destination: `${described}, by CronJob ${metadata.namespace}/${metadata.name}`,
      region: (target ? set.regionOf(target) : undefined) ?? null,
      schedule: `${first(cronJob.body.spec)?.schedule ?? 'unscheduled'} (${first(cronJob.body.spec)?.timezone ?? 'controller time zone'})`,
      retention: annotations[BACKUP_ANNOTATIONS.retention] ?? 'not set',
    });
  }
  return found;
}
