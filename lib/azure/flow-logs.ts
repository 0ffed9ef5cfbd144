import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { NetworkWatcherFlowLog } from '@cdktf/provider-azurerm/lib/network-watcher-flow-log';
import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import { AzurePlacement, azureTags } from './placement';
import { SecureStorageAccount } from './storage-account';

/** Flow log retention in the storage account is 1-365 days; 0 keeps records until deleted. */
const MAX_FLOW_LOG_RETENTION_DAYS = 365;

export interface VnetFlowLogsProps {
  readonly placement: AzurePlacement;
  readonly environment: string;
  /** 3-24 lowercase alphanumerics. */
  readonly storageAccountName: string;
  readonly virtualNetworkId: string;
  /** Azure's per-region Network Watcher (`NetworkWatcher_<region>` in `NetworkWatcherRG` unless the landing zone says otherwise). */
  readonly networkWatcher: { readonly name: string; readonly resourceGroupName: string };
  readonly retentionDays: number;
  readonly zoneRedundant: boolean;
  /** CMK for the account: the platform storage key and the identity that holds its grant. */
  readonly keyVaultKeyId: string;
  readonly identityId: string;
  readonly endpointSubnetId: string;
  readonly privateDnsZoneId: string;
  readonly workspace: LogAnalyticsWorkspace;
  readonly dependsOn: ITerraformDependable[];
}

/**
 * VNet flow logs (every flow in and out of the platform's spoke) into a dedicated, CMK-encrypted, private
 * storage account that only trusted Azure services may write to, and through traffic analytics into the
 * platform's Log Analytics workspace (the queryable copy, retained like the other tables). Records in
 * the account are kept for the configured retention, or indefinitely above the 365 days a flow log allows.
 */
export class VnetFlowLogs extends Construct {
  readonly storage: SecureStorageAccount;
  readonly flowLog: NetworkWatcherFlowLog;

  constructor(scope: Construct, id: string, props: VnetFlowLogsProps) {
    super(scope, id);
    this.storage = new SecureStorageAccount(this, 'storage', {
      placement: props.placement,
      name: props.storageAccountName,
      component: 'flow-logs',
      replication: props.zoneRedundant ? 'ZRS' : 'LRS',
      keyVaultKeyId: props.keyVaultKeyId,
      identityId: props.identityId,
      containers: [],
      endpointSubnetId: props.endpointSubnetId,
      privateDnsZoneIds: [props.privateDnsZoneId],
      retentionDays: 30,
      trustedServicesBypass: true,
      dependsOn: props.dependsOn,
    });
    const name = `${props.environment}-vnet`;
    this.flowLog = new NetworkWatcherFlowLog(this, 'flow-log', {
      name,
      location: props.placement.location,
      networkWatcherName: props.networkWatcher.name,
      resourceGroupName: props.networkWatcher.resourceGroupName,
      targetResourceId: props.virtualNetworkId,
      storageAccountId: this.storage.account.id,
      enabled: true,
      version: 2,
      retentionPolicy: { enabled: true, days: props.retentionDays > MAX_FLOW_LOG_RETENTION_DAYS ? 0 : props.retentionDays },
      trafficAnalytics: {
        enabled: true,
        workspaceId: props.workspace.workspaceId,
        workspaceRegion: props.workspace.location,
        workspaceResourceId: props.workspace.id,
        intervalInMinutes: 10,
      },
      tags: azureTags(props.placement, 'flow-logs', name),
    });
  }
}
