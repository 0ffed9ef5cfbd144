import { Construct } from 'constructs';
import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { LogAnalyticsWorkspaceTable } from '@cdktf/provider-azurerm/lib/log-analytics-workspace-table';
import { AzurePlacement, azureTags } from './placement';

/** Log Analytics keeps interactive (queryable) retention for at most 730 days. */
export const MAX_WORKSPACE_RETENTION_DAYS = 730;

/** Total (interactive + archive) retention a table accepts beyond two years: whole years only, up to 12. */
const LONG_TOTAL_RETENTION_DAYS = [1095, 1460, 1826, 2191, 2556, 2922, 3288, 3653, 4018, 4383] as const;

/**
 * A table's total retention for `days`: the value itself up to 730, otherwise the smallest whole-year
 * value that keeps the logs at least that long (never less than asked).
 */
export function totalRetentionDays(days: number): number {
  if (days <= MAX_WORKSPACE_RETENTION_DAYS) {
    return days;
  }
  const value = LONG_TOTAL_RETENTION_DAYS.find((candidate) => candidate >= days);
  if (value === undefined) {
    throw new Error(`log retention of ${days} days exceeds Log Analytics' maximum of ${LONG_TOTAL_RETENTION_DAYS.at(-1)} days`);
  }
  return value;
}

/**
 * The resource-specific tables our diagnostic settings write to (destination type Dedicated): AKS
 * control plane and audit, Key Vault audit, registry events, blob access, VNet flows. Each gets the configured total
 * retention, the part beyond 730 days in the archive tier.
 */
export const PLATFORM_LOG_TABLES = [
  'AKSAudit',
  'AKSAuditAdmin',
  'AKSControlPlane',
  'AZKVAuditLogs',
  'ContainerRegistryLoginEvents',
  'ContainerRegistryRepositoryEvents',
  'StorageBlobLogs',
  // VNet flow logs through traffic analytics.
  'NTANetAnalytics',
] as const;

/** AKS control-plane log categories: the audit log (every API request) and the components' logs. */
export const AKS_LOG_CATEGORIES = ['kube-audit', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'cluster-autoscaler', 'guard'] as const;

export interface PlatformLogsProps {
  readonly placement: AzurePlacement;
  readonly name: string;
  readonly retentionDays: number;
}

/**
 * An in-region Log Analytics workspace for control-plane and Key Vault audit logs. Entra ID only (no
 * workspace keys), no ingestion and no queries over the public internet: diagnostic settings deliver
 * over Azure's backbone, and people query through the landing zone's Azure Monitor Private Link Scope
 * once the workspace is added to it (docs/operations.md). Retention is honoured beyond the workspace's
 * 730-day interactive cap: every table we write keeps the configured total, the rest in the archive.
 * Its data is encrypted with a Microsoft-managed key: CMK for Log Analytics needs a dedicated cluster
 * (a 100 GB/day commitment), which this platform does not create.
 */
export class PlatformLogs extends Construct {
  readonly workspace: LogAnalyticsWorkspace;

  constructor(scope: Construct, id: string, props: PlatformLogsProps) {
    super(scope, id);
    this.workspace = new LogAnalyticsWorkspace(this, 'workspace', {
      name: props.name,
      location: props.placement.location,
      resourceGroupName: props.placement.resourceGroupName,
      sku: 'PerGB2018',
      retentionInDays: Math.min(props.retentionDays, MAX_WORKSPACE_RETENTION_DAYS),
      localAuthenticationEnabled: false,
      internetIngestionEnabled: false,
      internetQueryEnabled: false,
      tags: azureTags(props.placement, 'logs', props.name),
    });
    const total = totalRetentionDays(props.retentionDays);
    for (const table of PLATFORM_LOG_TABLES) {
      new LogAnalyticsWorkspaceTable(this, `table-${table}`, {
        name: table,
        workspaceId: this.workspace.id,
        retentionInDays: Math.min(props.retentionDays, MAX_WORKSPACE_RETENTION_DAYS),
        totalRetentionInDays: total,
      });
    }
  }

  /** Sends `target`'s logs here, into resource-specific tables. */
  diagnostics(scope: Construct, id: string, targetResourceId: string, logs: { categories?: readonly string[]; categoryGroups?: readonly string[] }): MonitorDiagnosticSetting {
    return new MonitorDiagnosticSetting(scope, id, {
      name: 'to-platform-logs',
      targetResourceId,
      logAnalyticsWorkspaceId: this.workspace.id,
      logAnalyticsDestinationType: 'Dedicated',
      enabledLog: [
        ...(logs.categories ?? []).map((category) => ({ category })),
        ...(logs.categoryGroups ?? []).map((categoryGroup) => ({ categoryGroup })),
      ],
    });
  }
}
