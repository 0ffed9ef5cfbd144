import { mdCell, mdCode } from '../markdown';
import { POLICY_RULES } from './rules';
import { ExceptionOutcome, PolicyFinding, PolicyReport } from './types';

/** One line per deny (rule, resource, message, fix), plus a closing line; for the console. */
export function formatGateSummary(report: PolicyReport): string {
  const lines: string[] = [];
  for (const f of report.denies) {
    lines.push(`DENY ${f.rule} ${f.stack}/${f.address}: ${f.message} Fix: ${f.fix}`);
  }
  for (const f of report.excepted) {
    lines.push(`EXCEPTED ${f.rule} ${f.stack}/${f.address}: ${f.exception_reason ?? ''}`);
  }
  for (const e of report.exceptions) {
    lines.push(`EXCEPTION ${e.status.toUpperCase()} ${e.rule} ${e.stack}/${e.resource}${e.expires ? ` (expires ${e.expires})` : ''}: ${exceptionNote(e)}`);
  }
  const verdict = report.passed ? 'passed' : 'FAILED';
  lines.push(
    `policy gate ${verdict}: ${report.denies.length} denied, ${report.excepted.length} excepted, ` +
      `${report.stacks.length} stack(s) of environment ${report.environment}`,
  );
  return lines.join('\n');
}

function exceptionNote(e: ExceptionOutcome): string {
  switch (e.status) {
    case 'applied':
      return `covers ${e.covered} finding(s): ${e.reason}`;
    case 'expired':
      return 'expired (or no date was given to judge it); its findings are denied';
    case 'unused':
      return 'matched no finding in its stack; remove it';
  }
}

export function renderMarkdown(report: PolicyReport): string {
  const out: string[] = [];
  out.push(`# Policy gate: ${report.environment} (${report.cloud})`, '');
  out.push(`**${report.passed ? 'PASSED' : 'FAILED'}**: ${report.denies.length} denied, ${report.excepted.length} excepted.`, '');
  out.push('| stack | kind | denied | excepted |', '|---|---|---|---|');
  for (const s of report.stacks) {
    out.push(`| ${mdCell(s.name)} | ${s.kind}${s.tenantId ? ` (${mdCell(s.tenantId)})` : ''} | ${s.denies} | ${s.excepted} |`);
  }
  out.push('');
  const table = (title: string, findings: readonly PolicyFinding[], withReason: boolean): void => {
    out.push(`## ${title}`, '');
    if (findings.length === 0) {
      out.push('None.', '');
      return;
    }
    out.push(
      withReason ? '| stack | rule | resource | message | reason |' : '| stack | rule | severity | resource | message | fix |',
      withReason ? '|---|---|---|---|---|' : '|---|---|---|---|---|---|',
    );
    for (const f of findings) {
      const resource = `${mdCode(f.address)}${f.construct_path ? `<br>${mdCell(f.construct_path)}` : ''}`;
      out.push(
        withReason
          ? `| ${mdCell(f.stack)} | ${f.rule} | ${resource} | ${mdCell(f.message)} | ${mdCell(f.exception_reason ?? '')} |`
          : `| ${mdCell(f.stack)} | ${f.rule} | ${f.severity} | ${resource} | ${mdCell(f.message)} | ${mdCell(f.fix)} |`,
      );
    }
    out.push('');
  };
  table('Denied', report.denies, false);
  table('Excepted (accepted with a written reason)', report.excepted, true);
  out.push('## Exceptions (from the environment file)', '');
  if (report.exceptions.length === 0) {
    out.push('None.', '');
  } else {
    out.push('| stack | rule | resource | expires | status | reason |', '|---|---|---|---|---|---|');
    for (const e of report.exceptions) {
      out.push(`| ${mdCell(e.stack)} | ${mdCell(e.rule)} | ${mdCode(e.resource)} | ${e.expires ?? 'never'} | ${e.status} (${e.covered}) | ${mdCell(e.reason)} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

const SARIF_LEVEL: Record<string, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
};

/** SARIF 2.1.0; artifact URIs are relative to the cdktf output directory (uriBaseId CDKTF_OUT). */
export function renderSarif(report: PolicyReport): object {
  const ruleIds = Object.keys(POLICY_RULES).sort();
  const result = (f: PolicyFinding, excepted: boolean): object => ({
    ruleId: f.rule,
    ruleIndex: ruleIds.indexOf(f.rule),
    level: SARIF_LEVEL[f.severity] ?? 'error',
    message: { text: `${f.message} Fix: ${f.fix}` },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri: `stacks/${f.stack}/cdk.tf.json`, uriBaseId: 'CDKTF_OUT' } },
        logicalLocations: [
          { fullyQualifiedName: `${f.stack}/${f.address}`, name: f.address, kind: 'resource' },
        ],
      },
    ],
    partialFingerprints: { 'policyFinding/v1': `${f.stack}|${f.rule}|${f.address}` },
    properties: { constructPath: f.construct_path, stack: f.stack },
    ...(excepted ? { suppressions: [{ kind: 'external', status: 'accepted', justification: f.exception_reason ?? '' }] } : {}),
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'sovereign-rag-policy-gate',
            informationUri: 'https://www.openpolicyagent.org/',
            rules: ruleIds.map((id) => ({
              id,
              shortDescription: { text: POLICY_RULES[id].summary },
              defaultConfiguration: { level: SARIF_LEVEL[POLICY_RULES[id].severity] ?? 'error' },
              properties: { concern: POLICY_RULES[id].concern },
            })),
          },
        },
        originalUriBaseIds: { CDKTF_OUT: { description: { text: 'the cdktf output directory' } } },
        properties: { exceptions: report.exceptions },
        results: [...report.denies.map((f) => result(f, false)), ...report.excepted.map((f) => result(f, true))],
      },
    ],
  };
}
