import { exampleInput, exampleStacks, resources } from './synth';
import { CONTRACT_METRICS, ERROR_RATIO_THRESHOLD, GRAFANA_DASHBOARD_LABEL, SOFT_BUDGET_FRACTION } from '../../lib/tenancy/operations';

const ENV = 'uae-prod-aws';
const TENANTS = ['ministry-health', 'customs-authority'];

describe('per-tenant operations (AWS example)', () => {
  let stacks: Record<string, any>;
  let input: Record<string, any>;
  beforeAll(() => {
    input = exampleInput();
    stacks = exampleStacks();
  });
  const budgetOf = (tenantId: string) => input.tenants.find((t: any) => t.id === tenantId).llm.monthlyBudgetUsd;
  const manifests = (tenantId: string, kind: string) =>
    resources(stacks[`${ENV}-tenant-${tenantId}`], 'kubernetes_manifest').map((r) => r.manifest).filter((m) => m.kind === kind);

  test.each(TENANTS)('%s: LiteLLM team and key carry the soft budget below the hard budget', (tenantId) => {
    const specMap = resources(stacks[`${ENV}-tenant-${tenantId}`], 'kubernetes_config_map_v1').find((c) => c.metadata.name === `tenant-${tenantId}-litellm`);
    const spec = JSON.parse(specMap.data['tenant.json']);
    const budget = budgetOf(tenantId);
    for (const entry of [spec.team, spec.key]) {
      expect(entry.max_budget).toBe(budget);
      expect(entry.soft_budget).toBeCloseTo(budget * SOFT_BUDGET_FRACTION, 2);
      expect(entry.soft_budget).toBeLessThan(entry.max_budget);
    }
  });

  test.each(TENANTS)('%s: a PrometheusRule with budget (soft, hard, daily) and error-rate alerts on its own team only', (tenantId) => {
    const [rule] = manifests(tenantId, 'PrometheusRule');
    const alerts = rule.spec.groups.flatMap((group: any) => group.rules).filter((r: any) => r.alert !== undefined);
    expect(alerts.map((a: any) => a.alert)).toEqual(['TenantBudgetSoftLimit', 'TenantBudgetExhausted', 'TenantDailySpendHigh', 'TenantLlmErrorRateHigh']);
    for (const alert of alerts) {
      expect(alert.labels.tenant_id).toBe(tenantId);
      const selectors = alert.expr.match(/\{[^}]*\}/g);
      expect(selectors.length).toBeGreaterThan(0);
      for (const selector of selectors) {
        expect(selector).toBe(`{team="${tenantId}"}`);
      }
    }
    const byName = Object.fromEntries(alerts.map((a: any) => [a.alert, a]));
    expect(byName.TenantDailySpendHigh.expr).toContain(`> ${Math.round((budgetOf(tenantId) / 30) * 100) / 100}`);
    expect(byName.TenantLlmErrorRateHigh.expr).toContain(`> ${ERROR_RATIO_THRESHOLD}`);
    expect(byName.TenantBudgetExhausted.labels.severity).toBe('critical');
  });

  test.each(TENANTS)('%s: recording rules give its LiteLLM and KEDA series a tenant_id label, from its own team/namespace only', (tenantId) => {
    const [rule] = manifests(tenantId, 'PrometheusRule');
    const records = rule.spec.groups.find((g: any) => g.name === `tenant-${tenantId}-records`).rules;
    expect(records.map((r: any) => r.record)).toEqual([
      'tenant:litellm_tokens:rate5m',
      'tenant:litellm_spend_usd:rate5m',
      'tenant:litellm_requests:rate5m',
      'tenant:litellm_failed_requests:rate5m',
      'tenant:litellm_remaining_budget_usd',
      'tenant:ingestion_lag',
    ]);
    for (const record of records) {
      expect(record.labels).toEqual({ tenant_id: tenantId });
      for (const selector of record.expr.match(/\{[^}]*\}/g)) {
        expect([`{team="${tenantId}"}`, `{namespace="tenant-${tenantId}", scaledObject="ingestion-worker"}`]).toContain(selector);
      }
    }
  });

  test.each(TENANTS)('%s: a Grafana dashboard ConfigMap whose every query selects the tenant only', (tenantId) => {
    const [dashboardMap] = resources(stacks[`${ENV}-tenant-${tenantId}`], 'kubernetes_config_map_v1').filter((c) => c.metadata.name === 'tenant-dashboard');
    expect(dashboardMap.metadata.labels[GRAFANA_DASHBOARD_LABEL]).toBe('1');
    const dashboard = JSON.parse(dashboardMap.data[`tenant-${tenantId}.json`]);
    expect(dashboard.uid).toBe(`tenant-${tenantId}`);
    const exprs: string[] = dashboard.panels.flatMap((panel: any) => panel.targets.map((t: any) => t.expr));
    expect(exprs.some((e) => e.includes('litellm_total_tokens_metric_total') && e.includes('by (model)'))).toBe(true);
    expect(exprs.some((e) => e.includes('litellm_spend_metric_total') && e.includes('by (model)'))).toBe(true);
    // Latency by orchestrator stage and quarantine depth read the images' metrics contract, by tenant_id.
    expect(exprs).toContain(`histogram_quantile(0.95, sum by (le, stage) (rate(${CONTRACT_METRICS.orchestratorStageDuration}_bucket{tenant_id="${tenantId}"}[5m])))`);
    expect(exprs).toContain(`max(${CONTRACT_METRICS.ingestionQuarantineEntries}{tenant_id="${tenantId}"})`);
    for (const expr of exprs) {
      expect(expr.includes(`team="${tenantId}"`) || expr.includes(`namespace="tenant-${tenantId}"`) || expr.includes(`tenant_id="${tenantId}"`)).toBe(true);
      expect(expr).not.toContain('${');
    }
  });

  test('Prometheus selects every PrometheusRule, not only the chart release labelled ones', () => {
    const release = Object.values<any>(stacks[`${ENV}-addons`].resource.helm_release).find((r) => r.chart === 'kube-prometheus-stack');
    const values = release.values.map((v: string) => JSON.parse(v)).reduce((a: any, b: any) => ({ ...a, ...b }), {});
    expect(values.prometheus.prometheusSpec.ruleSelectorNilUsesHelmValues).toBe(false);
  });
});
