import { CapacityDifference } from './environment';
import { CapacityPlan } from './plan';
import { AED_PER_USD } from './prices';

/** `12,345` (grouping makes budgets readable; en-US so the output does not depend on the machine's locale). */
export function formatAmount(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 0 });
}

function table(header: readonly string[], rows: readonly string[][]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: readonly string[]): string => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];
}

/** The plan as the terminal shows it: the layer table, the arithmetic, the cost and every warning. */
export function formatPlan(plan: CapacityPlan, differences: readonly CapacityDifference[] = []): string {
  const { input, monthlyCost } = plan;
  const out: string[] = [
    `Capacity plan: ${input.steadyQps} QPS steady x ${input.peakFactor} = ${plan.peakQps} QPS peak, ${formatAmount(input.vectors)} vectors of ${input.dims} dims, ${input.cloud} ${input.region}`,
    '',
  ];
  out.push(
    ...table(
      ['layer', 'replicas', 'instance', 'vCPU', 'memory', 'GPUs', 'quantization', `${monthlyCost.currency}/month`],
      plan.layers.map((layer) => [
        layer.name,
        String(layer.replicas),
        layer.placement === 'general-pool' ? `pods on ${layer.instanceType}` : layer.instanceType,
        String(layer.vcpu),
        `${layer.memoryGiB} GiB`,
        String(layer.gpus),
        layer.quantization,
        formatAmount(monthlyCost.byLayer[layer.name]),
      ]),
    ),
  );
  out.push('', `platform (control plane, system pool, add-ons, endpoints, logs, keys, support): ${formatAmount(monthlyCost.byLayer.platform)} ${monthlyCost.currency}/month`);
  out.push(`general pool: ${plan.generalPool.nodes} x ${plan.generalPool.instanceType} (${plan.generalPool.why})`);
  out.push(`TOTAL: ${formatAmount(monthlyCost.total)} ${monthlyCost.currency}/month, excluding ${monthlyCost.excludes}`);
  if (monthlyCost.currency === 'AED') out.push(`(USD converted at the ${AED_PER_USD} peg)`);
  out.push('', 'Why:');
  for (const layer of plan.layers) {
    layer.why.forEach((reason) => out.push(`  ${layer.name}: ${reason}`));
  }
  const settings = plan.layers.filter((layer) => Object.keys(layer.settings).length > 0);
  out.push('', 'Settings:');
  settings.forEach((layer) => out.push(`  ${layer.name}: ${Object.entries(layer.settings).map(([key, value]) => `${key}=${value}`).join(', ')}`));
  out.push('', `Prices: ${monthlyCost.priceBook.source}; reviewed ${monthlyCost.priceBook.reviewed}${monthlyCost.priceBook.estimate ? '; ESTIMATE' : ''}`);
  const warnings = [...plan.warnings.map((warning) => `WARNING ${warning}`), ...differences.map((d) => `${d.severity === 'warning' ? 'WARNING' : 'NOTE'} ${d.message}`)];
  if (warnings.length > 0) out.push('', ...warnings);
  return `${out.join('\n')}\n`;
}

/** The `--json` document: the plan, plus the comparison with the environment file when there is one. */
export function planJson(plan: CapacityPlan, differences?: readonly CapacityDifference[]): object {
  return {
    input: plan.input,
    peakQps: plan.peakQps,
    layers: plan.layers,
    generalPool: plan.generalPool,
    monthlyCost: plan.monthlyCost,
    warnings: plan.warnings,
    ...(differences ? { differences } : {}),
  };
}
