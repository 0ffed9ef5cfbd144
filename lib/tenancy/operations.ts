import { Construct } from 'constructs';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { tenantLabels } from './labels';

/**
 * Per-tenant operations signals, from what the platform already exports: LiteLLM's Prometheus callback
 * (series labelled `team` = the tenant id, since the tenant's LiteLLM team id is its tenant id) and KEDA's
 * scaler metrics for the tenant's ScaledObject. Two objects in the tenant namespace, removed with it:
 * a PrometheusRule (budget soft/hard, daily spend, error rate; records of the tenant's series labelled
 * `tenant_id`) and a Grafana dashboard ConfigMap.
 */

/** The share of the monthly budget at which the soft alert fires (LiteLLM `soft_budget` and the alert). */
export const SOFT_BUDGET_FRACTION = 0.8;
/** LLM error ratio (failed / all requests of the tenant, over 10 minutes) above which the tenant is alerted. */
export const ERROR_RATIO_THRESHOLD = 0.05;
/** Days in LiteLLM's budget period (`budget_duration: 30d`): the daily share of the monthly budget. */
const BUDGET_PERIOD_DAYS = 30;

/**
 * Metrics the platform's own images must export (docs/tenancy.md, "Metrics contract"), each labelled
 * `tenant_id`: the dashboard's stage-latency and quarantine panels read them. Scraped through the orchestrator
 * chart's ServiceMonitor and each tenant's PodMonitor (lib/tenancy/ingestion.ts), on `PORTS.orchestratorMetrics`.
 */
export const CONTRACT_METRICS = {
  /** Histogram (seconds) per request stage of the orchestrator; labels `tenant_id`, `stage`. */
  orchestratorStageDuration: 'rag_orchestrator_stage_duration_seconds',
  /** Gauge: entries in the tenant's quarantine stream, set by its ingestion workers; label `tenant_id`. */
  ingestionQuarantineEntries: 'rag_ingestion_quarantine_entries',
} as const;

/**
 * Recording rules that give the tenant's series from LiteLLM and KEDA a `tenant_id` label. LiteLLM labels
 * its series `team` (= tenant id, the team is created with the tenant id as `team_id`), and the only way it
 * offers to add another label, `custom_prometheus_metadata_labels`, reads the request's metadata as the
 * caller sent it (`requester_metadata`): a tenant could put another tenant's id there. The team comes from
 * the key that authenticated the request, so the records derive `tenant_id` from it instead.
 */
export function tenantRecords(tenantId: string, namespaceName: string, scaledObject: string): Array<{ record: string; expr: string; labels: { tenant_id: string } }> {
  const team = `team="${tenantId}"`;
  const labels = { tenant_id: tenantId };
  return [
    { record: 'tenant:litellm_tokens:rate5m', expr: `sum by (model) (rate(litellm_total_tokens_metric_total{${team}}[5m]))`, labels },
    { record: 'tenant:litellm_spend_usd:rate5m', expr: `sum by (model) (rate(litellm_spend_metric_total{${team}}[5m]))`, labels },
    { record: 'tenant:litellm_requests:rate5m', expr: `sum(rate(litellm_proxy_total_requests_metric_total{${team}}[5m]))`, labels },
    { record: 'tenant:litellm_failed_requests:rate5m', expr: `sum(rate(litellm_proxy_failed_requests_metric_total{${team}}[5m]))`, labels },
    { record: 'tenant:litellm_remaining_budget_usd', expr: `max(litellm_remaining_team_budget_metric{${team}})`, labels },
    { record: 'tenant:ingestion_lag', expr: `max(keda_scaler_metrics_value{namespace="${namespaceName}", scaledObject="${scaledObject}"})`, labels },
  ];
}

/** The label Grafana's dashboard sidecar selects ConfigMaps by (grafana chart default `grafana_dashboard`). */
export const GRAFANA_DASHBOARD_LABEL = 'grafana_dashboard';

export interface TenantOperationsProps {
  readonly tenantId: string;
  readonly namespace: string;
  /** The namespace's literal name (the dashboard's queries select on it). */
  readonly namespaceName: string;
  readonly monthlyBudgetUsd: number;
  /** Name of the tenant's KEDA ScaledObject (its scaler metric is the ingestion stream lag). */
  readonly scaledObjectName: string;
}

const money = (usd: number) => Math.round(usd * 100) / 100;

export class TenantOperations extends Construct {
  readonly rules: Manifest;
  readonly dashboard: ConfigMapV1;

  constructor(scope: Construct, id: string, props: TenantOperationsProps) {
    super(scope, id);
    const team = `team="${props.tenantId}"`;
    const labels = tenantLabels(props.tenantId, 'operations');
    const alertLabels = (severity: 'warning' | 'critical') => ({ severity, tenant_id: props.tenantId });
    const dailyShare = money(props.monthlyBudgetUsd / BUDGET_PERIOD_DAYS);
    this.rules = new Manifest(this, 'alerts', {
      manifest: {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata: { name: 'tenant-alerts', namespace: props.namespace, labels },
        spec: {
          groups: [
            {
              name: `tenant-${props.tenantId}`,
              rules: [
                {
                  alert: 'TenantBudgetSoftLimit',
                  expr: `max(litellm_remaining_team_budget_metric{${team}}) < ${money(1 - SOFT_BUDGET_FRACTION)} * max(litellm_team_max_budget_metric{${team}})`,
                  for: '5m',
                  labels: alertLabels('warning'),
                  annotations: { summary: `Tenant ${props.tenantId} has spent over ${SOFT_BUDGET_FRACTION * 100}% of its monthly LLM budget` },
                },
                {
                  alert: 'TenantBudgetExhausted',
                  expr: `max(litellm_remaining_team_budget_metric{${team}}) <= 0`,
                  for: '1m',
                  labels: alertLabels('critical'),
                  annotations: { summary: `Tenant ${props.tenantId} has no LLM budget left: LiteLLM refuses its requests until the period resets` },
                },
                {
                  alert: 'TenantDailySpendHigh',
                  expr: `sum(increase(litellm_spend_metric_total{${team}}[1d])) > ${dailyShare}`,
                  for: '15m',
                  labels: alertLabels('warning'),
                  annotations: { summary: `Tenant ${props.tenantId} spent more than its daily share (${dailyShare} USD) of the monthly budget in the last 24 hours` },
                },
                {
                  alert: 'TenantLlmErrorRateHigh',
                  expr: `sum(rate(litellm_proxy_failed_requests_metric_total{${team}}[10m])) / sum(rate(litellm_proxy_total_requests_metric_total{${team}}[10m])) > ${ERROR_RATIO_THRESHOLD}`,
                  for: '10m',
                  labels: alertLabels('warning'),
                  annotations: { summary: `More than ${ERROR_RATIO_THRESHOLD * 100}% of tenant ${props.tenantId}'s LLM requests fail` },
                },
              ],
            },
            { name: `tenant-${props.tenantId}-records`, rules: tenantRecords(props.tenantId, props.namespaceName, props.scaledObjectName) },
          ],
        },
      },
    });
    this.dashboard = new ConfigMapV1(this, 'dashboard', {
      metadata: { name: 'tenant-dashboard', namespace: props.namespace, labels: { ...labels, [GRAFANA_DASHBOARD_LABEL]: '1' } },
      data: { [`tenant-${props.tenantId}.json`]: JSON.stringify(tenantDashboard(props.tenantId, props.namespaceName, props.scaledObjectName)) },
    });
  }
}

/**
 * A Grafana dashboard (schema 39) on Grafana's default (Prometheus) data source: tokens, cost and latency
 * by model, remaining budget, ingestion lag, latency by orchestrator stage and quarantine depth. No `${...}` template variables: Terraform would read them as
 * interpolations.
 */
function tenantDashboard(tenantId: string, namespace: string, scaledObject: string): Record<string, unknown> {
  const team = `team="${tenantId}"`;
  const tenant = `tenant_id="${tenantId}"`;
  const panel = (id: number, title: string, unit: string, expr: string, legend: string) => ({
    id,
    title,
    type: 'timeseries',
    fieldConfig: { defaults: { unit }, overrides: [] },
    gridPos: { h: 8, w: 12, x: ((id - 1) % 2) * 12, y: Math.floor((id - 1) / 2) * 8 },
    targets: [{ refId: 'A', expr, legendFormat: legend }],
  });
  return {
    uid: `tenant-${tenantId}`,
    title: `Tenant ${tenantId}`,
    tags: ['rag-platform', 'tenant'],
    schemaVersion: 39,
    time: { from: 'now-7d', to: 'now' },
    panels: [
      panel(1, 'Tokens by model (per hour)', 'short', `sum by (model) (increase(litellm_total_tokens_metric_total{${team}}[1h]))`, '{{model}}'),
      panel(2, 'Cost by model (USD per hour)', 'currencyUSD', `sum by (model) (increase(litellm_spend_metric_total{${team}}[1h]))`, '{{model}}'),
      panel(3, 'LLM request latency p95 by model (gateway total)', 's', `histogram_quantile(0.95, sum by (le, model) (rate(litellm_request_total_latency_metric_bucket{${team}}[5m])))`, '{{model}}'),
      panel(4, 'LLM provider latency p95 by model', 's', `histogram_quantile(0.95, sum by (le, model) (rate(litellm_llm_api_latency_metric_bucket{${team}}[5m])))`, '{{model}}'),
      panel(5, 'Remaining monthly budget (USD)', 'currencyUSD', `max(litellm_remaining_team_budget_metric{${team}})`, 'remaining'),
      panel(6, 'Ingestion stream lag (KEDA)', 'short', `max(keda_scaler_metrics_value{namespace="${namespace}", scaledObject="${scaledObject}"})`, 'lag'),
      // Sources: the metrics contract of the orchestrator and worker images (CONTRACT_METRICS).
      panel(7, 'Request latency p95 by orchestrator stage', 's', `histogram_quantile(0.95, sum by (le, stage) (rate(${CONTRACT_METRICS.orchestratorStageDuration}_bucket{${tenant}}[5m])))`, '{{stage}}'),
      panel(8, 'Ingestion quarantine depth', 'short', `max(${CONTRACT_METRICS.ingestionQuarantineEntries}{${tenant}})`, 'quarantined'),
    ],
  };
}
