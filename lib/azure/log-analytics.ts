import { Construct } from 'constructs';
import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { AzurePlacement, azureTags } from './placement';

/** Log Analytics keeps interactive retention for at most 730 days; longer config values are capped. */
export const MAX_WORKSPACE_RETENTION_DAYS = 730;

/** AKS control-plane log categories: the audit log (every API request) and the components' logs. */
export const AKS_LOG_CATEGORIES = ['kube-audit', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'cluster-autoscaler', 'guard'] as const;

export interface PlatformLogsProps {
  readonly placement: AzurePlacement;
  readonly name: string;
  readonly retentionDays: number;
}

/**
 * An in-region Log Analytics workspace for control-plane and Key Vault audit logs. Entra ID only (no
 * workspace keys) and no ingestion over the public internet: diagnostic settings deliver over Azure's
 * backbone. Queries stay open to Entra-authenticated users until the hub adds an Azure Monitor Private
 * Link Scope. Its data is encrypted with a Microsoft-managed key: CMK for Log Analytics needs a
 * dedicated cluster (a 100 GB/day commitment), which this platform does not create.
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
      internetQueryEnabled: true,
      tags: azureTags(props.placement, 'logs', props.name),
    });
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
