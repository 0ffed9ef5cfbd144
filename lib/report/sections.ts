import { formatAmount } from '../capacity/format';
import { DataStore } from './data-stores';
import { KeyEvidence } from './keys';
import { SovereigntyReport } from './pack';

/**
 * The evidence pack as titled tables, rendered once into Markdown and once into HTML, so both say
 * exactly the same thing. Cells are plain text; a renderer escapes them for its format.
 */
export interface Table {
  readonly title: string;
  readonly intro?: string;
  readonly columns: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
  /** Said instead of an empty table. */
  readonly empty?: string;
}

export function keyText(key: KeyEvidence): string {
  if (key.kind === 'customer-managed') return `${key.name ?? key.address} (${key.stack}/${key.address}, ${key.region ?? 'region unknown'})`;
  return `${key.kind}${key.note ? `: ${key.note}` : ''}`;
}

const storeRow = (store: DataStore): string[] => [
  store.stack,
  store.address,
  store.holds,
  store.region ?? 'n/a',
  keyText(store.key),
  store.key.rotation ?? '',
  store.reachability,
  store.backup ? `${store.backup.destination} (${store.backup.region ?? 'n/a'}); ${store.backup.schedule}; ${store.backup.retention}` : 'none',
  store.retention ?? '',
];

export function summaryLines(report: SovereigntyReport): string[] {
  const outside = report.models.filter((model) => !model.inHomeRegions);
  const unresolved = report.dataStores.filter((store) => store.key.kind === 'unresolved' || store.key.kind === 'none');
  const exposed = report.dataStores.filter((store) => /PUBLIC/.test(store.reachability));
  return [
    `Environment ${report.environment}: ${report.cloud} ${report.region}, sovereignty profile ${report.profile}. Policy gate ${report.policyPassed ? 'PASSED' : 'FAILED'}.`,
    `${report.dataStores.length} data stores; ${report.dataStores.length - unresolved.length} encrypted with a key resolved in this configuration; ${unresolved.length} without (listed with a reason); ${exposed.length} with public reachability.`,
    `${report.models.length} models; ${outside.length} outside the profile's home regions${outside.length > 0 ? ` (each under the agreement named below)` : ''}.`,
  ];
}

export function reportTables(report: SovereigntyReport): Table[] {
  const tables: Table[] = [
    {
      title: 'Data stores',
      intro: 'Every data-bearing resource of every stack, cloud resources, in-cluster volumes and Terraform state; keys are followed across stacks to the resource that defines them.',
      columns: ['stack', 'address', 'holds', 'region', 'key', 'rotation', 'reachability', 'backup', 'retention'],
      rows: report.dataStores.map(storeRow),
    },
    {
      title: 'Models',
      columns: ['purpose', 'name', 'provider', 'model', 'region', 'home region', 'fallback order', 'falls back to', 'agreement'],
      rows: report.models.map((model) => [
        model.purpose,
        model.name,
        model.provider,
        model.model,
        model.region,
        model.inHomeRegions ? 'yes' : 'NO',
        String(model.fallbackOrder),
        model.fallbacks.join(' -> '),
        model.agreement ?? (model.inHomeRegions ? 'not needed' : 'NONE'),
      ]),
    },
    {
      title: 'Agreements',
      columns: ['kind', 'id', 'scope', 'reference'],
      rows: report.agreements.map((agreement) => [agreement.kind, agreement.id, agreement.scope, agreement.reference]),
      empty: 'None declared.',
    },
    {
      title: 'Policy exceptions',
      columns: ['rule', 'scope', 'reason', 'expiry', 'findings covered'],
      rows: report.exceptions.map((exception) => [exception.rule, exception.scope, exception.reason, exception.expiry ?? 'none (until removed)', String(exception.matched)]),
      empty: 'None.',
    },
    {
      title: 'Rules checked',
      columns: ['rule', 'concern', 'severity', 'result', 'denied', 'excepted', 'checks'],
      rows: report.rules.map((rule) => [rule.id, rule.concern, rule.severity, rule.result, String(rule.denied), String(rule.excepted), rule.summary]),
    },
  ];
  if (report.capacity) {
    const { plan, differences } = report.capacity;
    tables.push(
      {
        title: 'Capacity plan',
        intro:
          `${plan.input.steadyQps} QPS steady x ${plan.input.peakFactor} = ${plan.peakQps} QPS peak, ${formatAmount(plan.input.vectors)} vectors of ${plan.input.dims} dims. ` +
          `Estimate ${formatAmount(plan.monthlyCost.total)} ${plan.monthlyCost.currency}/month (platform ${formatAmount(plan.monthlyCost.byLayer.platform)}), excluding ${plan.monthlyCost.excludes}; ` +
          `prices: ${plan.monthlyCost.priceBook.source}, reviewed ${plan.monthlyCost.priceBook.reviewed}${plan.monthlyCost.priceBook.estimate ? ' (ESTIMATE)' : ''}.`,
        columns: ['layer', 'replicas', 'instance', 'quantization', `${plan.monthlyCost.currency}/month`, 'why'],
        rows: plan.layers.map((layer) => [layer.name, String(layer.replicas), layer.instanceType, layer.quantization, formatAmount(plan.monthlyCost.byLayer[layer.name]), layer.why.join('; ')]),
      },
      {
        title: 'Capacity: environment file versus advice',
        columns: ['field', 'configured', 'advised', 'severity', 'message'],
        rows: differences.map((difference) => [difference.field, String(difference.configured), String(difference.advised), difference.severity, difference.message]),
        empty: 'The file matches the advice.',
      },
    );
  }
  const { provenance } = report;
  tables.push(
    {
      title: 'Provenance',
      columns: ['item', 'value'],
      rows: [
        ['environment file', provenance.environmentFile],
        ['environment file sha256', provenance.environmentFileSha256],
        ['git commit', provenance.gitCommit ?? 'not given (pass SOURCE_COMMIT to synth or --git-commit to npm run report)'],
        ['kubernetes', provenance.kubernetes ?? 'n/a'],
        ...Object.entries(provenance.tools).map(([tool, version]) => [tool, version]),
      ],
    },
    {
      title: 'Charts',
      columns: ['stack', 'release', 'namespace', 'chart', 'version'],
      rows: provenance.charts.map((chart) => [chart.stack, chart.release, chart.namespace, chart.chart, chart.version]),
    },
  );
  return tables;
}
