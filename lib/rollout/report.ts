import { DeployResult } from './deploy';
import { DestroyResult } from './destroy';
import { StackDrift } from './drift';
import { deployExitCode, destroyExitCode, driftExitCode, planExitCode } from './exit-codes';
import { PlanOutcome, StackPlan } from './plan';

/**
 * Reports of a rollout command, as JSON (for machines: CI reads `exitCode` and `stacks`) and Markdown
 * (for people: the CI job summary and drift issues). Both are pure functions of their input: stack
 * order is the dependency order, lists inside are sorted, and there is no timestamp unless the caller
 * passes one, so the same situation always renders byte-for-byte the same report.
 */

export interface ReportContext {
  /** Environment name from the environment file, or null when the whole manifest was used. */
  readonly environment: string | null;
  /** Included verbatim when given (e.g. the CI run's start time); never taken from the clock here. */
  readonly generatedAt?: string;
}

export interface DriftReport {
  readonly kind: 'drift';
  readonly environment: string | null;
  readonly generatedAt?: string;
  readonly exitCode: number;
  readonly summary: { readonly stacks: number; readonly inSync: number; readonly drifted: number; readonly error: number };
  readonly stacks: readonly StackDrift[];
}

export interface PlanReport {
  readonly kind: 'plan';
  readonly environment: string | null;
  readonly generatedAt?: string;
  readonly exitCode: number;
  readonly summary: { readonly stacks: number; readonly noChanges: number; readonly changes: number; readonly error: number };
  /** The policy gate over the plan JSON; `not-run` when a stack failed to plan. */
  readonly gate: 'passed' | 'denied' | 'not-run';
  readonly stacks: readonly StackPlan[];
}

export interface DeployReport {
  readonly kind: 'deploy';
  readonly environment: string | null;
  readonly generatedAt?: string;
  readonly exitCode: number;
  readonly result: DeployResult;
}

export interface DestroyReport {
  readonly kind: 'destroy';
  readonly environment: string | null;
  readonly generatedAt?: string;
  readonly exitCode: number;
  readonly result: DestroyResult;
  /** Per destroyed stack, what was removed outside its Terraform state before (lib/rollout/removals.ts). */
  readonly removedOutsideState: Readonly<Record<string, readonly string[]>>;
}

export type RolloutReport = DriftReport | PlanReport | DeployReport | DestroyReport;

const count = <T>(items: readonly T[], pred: (t: T) => boolean): number => items.filter(pred).length;

function header(ctx: ReportContext): { environment: string | null; generatedAt?: string } {
  return ctx.generatedAt === undefined ? { environment: ctx.environment } : { environment: ctx.environment, generatedAt: ctx.generatedAt };
}

export function buildDriftReport(results: readonly StackDrift[], ctx: ReportContext): DriftReport {
  // Objects are rebuilt field by field so key order in the JSON never depends on how a result was made.
  const stacks: StackDrift[] = results.map((r) => ({
    stack: r.stack,
    status: r.status,
    resources: r.resources.map((x) => ({ address: x.address, actions: [...x.actions], changedAttributes: [...x.changedAttributes] })),
    outputs: [...r.outputs],
    ...(r.error === undefined ? {} : { error: r.error }),
  }));
  return {
    kind: 'drift',
    ...header(ctx),
    exitCode: driftExitCode(stacks.map((s) => s.status)),
    summary: {
      stacks: stacks.length,
      inSync: count(stacks, (s) => s.status === 'in-sync'),
      drifted: count(stacks, (s) => s.status === 'drifted'),
      error: count(stacks, (s) => s.status === 'error'),
    },
    stacks,
  };
}

export function buildPlanReport(outcome: PlanOutcome, ctx: ReportContext): PlanReport {
  const stacks: StackPlan[] = outcome.stacks.map((r) => ({
    stack: r.stack,
    status: r.status,
    changes: r.changes.map((c) => ({ address: c.address, actions: [...c.actions] })),
    ...(r.error === undefined ? {} : { error: r.error }),
  }));
  return {
    kind: 'plan',
    ...header(ctx),
    exitCode: planExitCode(
      stacks.map((s) => s.status),
      outcome.gate?.passed === true,
    ),
    summary: {
      stacks: stacks.length,
      noChanges: count(stacks, (s) => s.status === 'no-changes'),
      changes: count(stacks, (s) => s.status === 'changes'),
      error: count(stacks, (s) => s.status === 'error'),
    },
    gate: outcome.gate === undefined ? 'not-run' : outcome.gate.passed ? 'passed' : 'denied',
    stacks,
  };
}

/** The failed stack, field by field (fixed key order), or nothing. */
function failedField(failed: DeployResult['failed']): Pick<DeployResult, 'failed'> {
  return failed === undefined ? {} : { failed: { stack: failed.stack, step: failed.step, exitCode: failed.exitCode, tail: failed.tail } };
}

export function buildDeployReport(result: DeployResult, ctx: ReportContext): DeployReport {
  const normalized: DeployResult = {
    status: result.status,
    applied: [...result.applied],
    unchanged: [...result.unchanged],
    ...failedField(result.failed),
    notAttempted: [...result.notAttempted],
    message: result.message,
  };
  return { kind: 'deploy', ...header(ctx), exitCode: deployExitCode(result.status), result: normalized };
}

export function buildDestroyReport(result: DestroyResult, ctx: ReportContext, removals: Readonly<Record<string, readonly string[]>> = {}): DestroyReport {
  const normalized: DestroyResult = {
    status: result.status,
    destroyed: [...result.destroyed],
    ...failedField(result.failed),
    notAttempted: [...result.notAttempted],
    message: result.message,
  };
  const removedOutsideState = Object.fromEntries(result.destroyed.filter((stack) => (removals[stack] ?? []).length > 0).map((stack) => [stack, [...removals[stack]]]));
  return { kind: 'destroy', ...header(ctx), exitCode: destroyExitCode(result.status), result: normalized, removedOutsideState };
}

/** Two-space JSON with a trailing newline (diff- and `jq`-friendly). */
export function renderJson(report: RolloutReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

// ---------------------------------------------------------------- Markdown

/** A table cell: pipes escaped and newlines flattened, or the table breaks. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

const code = (text: string): string => `\`${text.replace(/`/g, "'")}\``;

/** A fenced block whose fence is longer than any backtick run inside, so terraform output cannot close it. */
function fenced(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${text}\n${fence}`;
}

function title(kind: string, ctx: { environment: string | null; generatedAt?: string }): string[] {
  const lines = [`# ${kind} report: ${ctx.environment ?? 'all stacks'}`, ''];
  if (ctx.generatedAt !== undefined) lines.push(`Generated at ${ctx.generatedAt}.`, '');
  return lines;
}

const DRIFT_LABEL: Record<StackDrift['status'], string> = { 'in-sync': 'in sync', drifted: '**drifted**', error: '**error**' };

export function renderDriftMarkdown(report: DriftReport): string {
  const s = report.summary;
  const verdict = report.exitCode === 0 ? 'no drift' : report.exitCode === 2 ? 'drift detected' : 'check failed';
  const lines = [
    ...title('Drift', report),
    `**Result: ${verdict}** (exit ${report.exitCode}): ${s.drifted} drifted, ${s.inSync} in sync, ${s.error} error(s), ${s.stacks} stack(s) checked.`,
    '',
  ];
  if (report.stacks.length === 0) {
    lines.push('No stacks were selected.', '');
    return lines.join('\n');
  }
  lines.push('| Stack | Status | Drifted resources |', '| --- | --- | --- |');
  for (const st of report.stacks) lines.push(`| ${cell(st.stack)} | ${DRIFT_LABEL[st.status]} | ${st.status === 'drifted' ? st.resources.length : '-'} |`);
  lines.push('');

  for (const st of report.stacks) {
    if (st.status === 'drifted') {
      lines.push(`## ${st.stack}: drifted`, '');
      if (st.resources.length > 0) {
        lines.push('| Resource | Action | Changed attributes |', '| --- | --- | --- |');
        for (const r of st.resources) {
          const attrs = r.changedAttributes.length > 0 ? r.changedAttributes.map(code).join(', ') : r.actions.includes('delete') ? '(deleted outside Terraform)' : '-';
          lines.push(`| ${cell(code(r.address))} | ${cell(r.actions.join(', ') || '-')} | ${cell(attrs)} |`);
        }
        lines.push('');
      }
      if (st.outputs.length > 0) lines.push(`Outputs that changed: ${st.outputs.map(code).join(', ')}.`, '');
      if (st.resources.length === 0 && st.outputs.length === 0) lines.push('Terraform reported drift but listed no resource or output.', '');
    } else if (st.status === 'error') {
      lines.push(`## ${st.stack}: error`, '', fenced(st.error ?? 'unknown error'), '');
    }
  }
  if (report.exitCode !== 0 && report.summary.drifted > 0) {
    lines.push(
      'To resolve: either re-apply the stack to restore the declared configuration (`npm run deploy`), ' +
        'or change the configuration to adopt the out-of-band change and deploy that.',
      '',
    );
  }
  return lines.join('\n');
}

const PLAN_LABEL: Record<StackPlan['status'], string> = { 'no-changes': 'no changes', changes: '**changes**', error: '**error**' };

export function renderPlanMarkdown(report: PlanReport): string {
  const s = report.summary;
  const lines = [
    ...title('Plan', report),
    `**Result: ${report.exitCode === 0 ? 'planned' : report.gate === 'denied' ? 'denied by the policy gate' : 'plan failed'}** (exit ${report.exitCode}): ${s.changes} with changes, ${s.noChanges} without, ${s.error} error(s), ${s.stacks} stack(s).`,
    '',
    `Policy gate over the plan JSON: ${report.gate === 'not-run' ? 'not run (a stack failed to plan)' : report.gate} (policy-report.md in the plan directory).`,
    '',
  ];
  if (report.stacks.length === 0) {
    lines.push('No stacks were selected.', '');
    return lines.join('\n');
  }
  lines.push('| Stack | Status | Resources to change |', '| --- | --- | --- |');
  for (const st of report.stacks) lines.push(`| ${cell(st.stack)} | ${PLAN_LABEL[st.status]} | ${st.status === 'changes' ? st.changes.length : '-'} |`);
  lines.push('');
  for (const st of report.stacks) {
    if (st.status === 'changes' && st.changes.length > 0) {
      lines.push(`## ${st.stack}: changes`, '', '| Resource | Actions |', '| --- | --- |');
      for (const c of st.changes) lines.push(`| ${cell(code(c.address))} | ${cell(c.actions.join(', '))} |`);
      lines.push('');
    } else if (st.status === 'error') {
      lines.push(`## ${st.stack}: error`, '', fenced(st.error ?? 'unknown error'), '');
    }
  }
  return lines.join('\n');
}

/** Deploy and destroy: which stacks were done, which failed, which were never started. */
function renderRunMarkdown(kind: string, report: { environment: string | null; generatedAt?: string; exitCode: number }, r: DeployResult | DestroyResult, done: Array<[string, readonly string[]]>): string {
  const lines = [...title(kind, report), `**Result: ${r.status}** (exit ${report.exitCode}).`, ''];
  for (const [label, stacks] of done) lines.push(`- ${label}: ${stacks.map(code).join(', ') || 'none'}`);
  if (r.failed) lines.push(`- Failed: ${code(r.failed.stack)} at \`terraform ${r.failed.step}\` (exit ${r.failed.exitCode})`);
  lines.push(`- Not attempted: ${r.notAttempted.map(code).join(', ') || 'none'}`, '');
  if (r.failed && r.failed.tail !== '') lines.push(fenced(r.failed.tail), '');
  else if (r.status === 'refused' || r.status === 'replan') lines.push(r.message, '');
  return lines.join('\n');
}

export function renderDeployMarkdown(report: DeployReport): string {
  return renderRunMarkdown('Deploy', report, report.result, [
    ['Applied', report.result.applied],
    ['Unchanged', report.result.unchanged],
  ]);
}

export function renderDestroyMarkdown(report: DestroyReport): string {
  const lines = [renderRunMarkdown('Destroy', report, report.result, [['Destroyed', report.result.destroyed]])];
  const removed = Object.entries(report.removedOutsideState);
  if (removed.length > 0) {
    lines.push('Removed outside Terraform state (before the destroy):', '');
    for (const [stack, what] of removed) lines.push(...what.map((item) => `- ${code(stack)}: ${cell(item)}`));
    lines.push('');
  }
  return lines.join('\n');
}

export function renderMarkdown(report: RolloutReport): string {
  switch (report.kind) {
    case 'drift':
      return renderDriftMarkdown(report);
    case 'plan':
      return renderPlanMarkdown(report);
    case 'deploy':
      return renderDeployMarkdown(report);
    case 'destroy':
      return renderDestroyMarkdown(report);
  }
}
