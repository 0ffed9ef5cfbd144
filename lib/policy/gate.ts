import * as fs from 'fs';
import * as path from 'path';
import { formatGateSummary, renderMarkdown, renderSarif } from './report';
import { exceptionReasonProblem, isIsoDate } from './exception-reason';
import {
  ExceptionOutcome,
  ExceptionStatus,
  JudgedStack,
  PolicyData,
  PolicyEnvironment,
  PolicyFinding,
  PolicyReport,
  RunPolicyGateOptions,
  StackRef,
  StackResult,
} from './types';
import { GatePolicy, loadGatePolicy, sortFindings } from './wasm';

export const REPORT_FILES = {
  json: 'policy-report.json',
  markdown: 'policy-report.md',
  sarif: 'policy-report.sarif',
} as const;

/** The cdk.tf.json of one stack in a cdktf output directory. */
export function stackFile(outdir: string, stackName: string): string {
  return path.join(outdir, 'stacks', stackName, 'cdk.tf.json');
}

/** Guards the gate against an environment the config loader should have refused. */
export function validateEnvironment(environment: PolicyEnvironment): void {
  const problems: string[] = [];
  if (environment.cloud !== 'aws' && environment.cloud !== 'azure') {
    problems.push(`environment.cloud must be "aws" or "azure", got ${JSON.stringify(environment.cloud)}`);
  }
  if (!environment.permittedRegions || !Array.isArray(environment.permittedRegions.aws) || !Array.isArray(environment.permittedRegions.azure)) {
    problems.push('environment.permittedRegions must have aws and azure region lists');
  }
  environment.exceptions.forEach((e, i) => {
    if ([e.rule, e.resource, e.stack].some((field) => typeof field !== 'string' || field === '')) {
      problems.push(`environment.exceptions[${i}] needs a rule, a resource and a stack`);
    }
    const reasonProblem = typeof e.reason === 'string' ? exceptionReasonProblem(e.reason) : 'a written reason is required';
    if (reasonProblem !== undefined) {
      problems.push(`environment.exceptions[${i}].reason: ${reasonProblem}`);
    }
    if (e.expires !== undefined && (typeof e.expires !== 'string' || !isIsoDate(e.expires))) {
      problems.push(`environment.exceptions[${i}].expires must be a date YYYY-MM-DD`);
    }
  });
  if (environment.today !== undefined && !isIsoDate(environment.today)) {
    problems.push(`environment.today must be a date YYYY-MM-DD, got ${JSON.stringify(environment.today)}`);
  }
  if (problems.length > 0) {
    throw new Error(`policy gate: invalid environment data:\n  - ${problems.join('\n  - ')}`);
  }
}

/** One stack's document for the gate: a synthesized cdk.tf.json or a plan JSON, with its stack. */
export interface GateSubject {
  readonly stack: StackRef;
  /** The parsed document. */
  readonly input: unknown;
  /** Where it came from, for the report (relative to the report directory). */
  readonly file: string;
}

/** The data document a stack is judged with (`data.environment`, `data.stack`). */
export function policyData(environment: PolicyEnvironment, stack: StackRef): PolicyData {
  return {
    environment,
    stack: stack.tenantId === undefined ? { name: stack.name, kind: stack.kind } : { name: stack.name, kind: stack.kind, tenantId: stack.tenantId },
  };
}

/**
 * Judges each subject with the environment and its stack (no I/O) and assembles the report: sorted
 * findings, every exception with its status. Shared by the synth gate, `npm run gate` and the rollout's
 * plan gate, so every report has the same shape.
 */
export function judgeStacks(policy: GatePolicy, environment: PolicyEnvironment, subjects: readonly GateSubject[]): PolicyReport {
  validateEnvironment(environment);
  return assembleReport(
    environment,
    subjects.map(({ stack, input, file }) => ({ stack, file, result: policy.evaluate(input, policyData(environment, stack)) })),
  );
}

/** Judges one stack's synthesized cdk.tf.json in `outdir`. */
export function judgeStackFile(policy: GatePolicy, environment: PolicyEnvironment, outdir: string, stack: StackRef): JudgedStack {
  const file = stackFile(outdir, stack.name);
  if (!fs.existsSync(file)) {
    throw new Error(`policy gate: stack ${stack.name} has no synthesized configuration at ${file}; synthesize first`);
  }
  const bytes = fs.readFileSync(file);
  // Parsed only to refuse a damaged file (the policy would read invalid JSON as no input at all); the
  // policy gets the file's own text, which spares serializing the parsed document again.
  try {
    JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new Error(`policy gate: ${file} is not valid JSON (${(error as Error).message}); synthesize again`);
  }
  const input = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return { stack, file: path.join('stacks', stack.name, 'cdk.tf.json'), result: policy.evaluate(input, policyData(environment, stack)) };
}

/** The report over stacks judged one by one (here or in the synth's worker threads), in stack name order. */
export function assembleReport(environment: PolicyEnvironment, judged: readonly JudgedStack[]): PolicyReport {
  const denies: PolicyFinding[] = [];
  const excepted: PolicyFinding[] = [];
  const stacks: StackResult[] = [];
  for (const { stack, file, result } of [...judged].sort((a, b) => (a.stack.name < b.stack.name ? -1 : a.stack.name > b.stack.name ? 1 : 0))) {
    denies.push(...result.denies.map((f) => ({ ...f, stack: stack.name })));
    excepted.push(...result.excepted.map((f) => ({ ...f, stack: stack.name })));
    stacks.push({
      name: stack.name,
      kind: stack.kind,
      ...(stack.tenantId === undefined ? {} : { tenantId: stack.tenantId }),
      file,
      denies: result.denies.length,
      excepted: result.excepted.length,
    });
  }
  const exceptions = exceptionOutcomes(environment, excepted);
  return {
    version: 1,
    environment: environment.name,
    cloud: environment.cloud,
    passed: denies.length === 0,
    stacks,
    denies: sortFindings(denies),
    excepted: sortFindings(excepted),
    unusedExceptions: environment.exceptions.filter((_e, i) => exceptions[i].status === 'unused'),
    exceptions,
  };
}

/**
 * Evaluates every stack's synthesized cdk.tf.json against the compiled policies (in-process, no OPA
 * needed), writes policy-report.{json,md,sarif} into outdir and returns the report. `passed` is false
 * when anything is denied; the caller decides the exit code. Stacks in `opts.judged` (judged by the
 * synth's worker threads) are not evaluated again.
 */
export async function runPolicyGate(opts: RunPolicyGateOptions): Promise<PolicyReport> {
  validateEnvironment(opts.environment);
  const judged = new Map((opts.judged ?? []).map((entry) => [entry.stack.name, entry]));
  const pending = opts.stacks.filter((stack) => !judged.has(stack.name));
  const policy = pending.length > 0 ? await loadGatePolicy(opts.wasmPath) : undefined;
  const report = assembleReport(
    opts.environment,
    opts.stacks.map((stack) => judged.get(stack.name) ?? judgeStackFile(policy as GatePolicy, opts.environment, opts.outdir, stack)),
  );
  if (opts.writeReports !== false) {
    writePolicyReports(opts.outdir, report);
  }
  return report;
}

/**
 * The gate over one saved plan (`terraform show -json <planfile>`, or HCP Terraform's `{plan: ...}`), as
 * the rollout calls it before applying exactly that plan: the same policies and data as synth, where
 * count/for_each/dynamic are expanded. Returns the report; writes nothing.
 */
export async function gatePlanJson(planJson: unknown, data: PolicyData, opts: { readonly wasmPath?: string; readonly file?: string } = {}): Promise<PolicyReport> {
  const policy = await loadGatePolicy(opts.wasmPath);
  return judgeStacks(policy, data.environment, [{ stack: data.stack, input: planJson, file: opts.file ?? 'plan.json' }]);
}

/** Every exception with what became of it: applied (covered findings), expired, or unused. */
export function exceptionOutcomes(environment: PolicyEnvironment, excepted: readonly PolicyFinding[]): ExceptionOutcome[] {
  return environment.exceptions.map((e) => {
    const covered = excepted.filter((f) => f.rule === e.rule && f.address === e.resource && f.stack === e.stack).length;
    const expired = e.expires !== undefined && (environment.today === undefined || environment.today > e.expires);
    const status: ExceptionStatus = covered > 0 ? 'applied' : expired ? 'expired' : 'unused';
    return { ...e, status, covered };
  });
}

/** Writes policy-report.json / .md / .sarif (deterministic: no timestamps, sorted findings). */
export function writePolicyReports(outdir: string, report: PolicyReport): void {
  fs.mkdirSync(outdir, { recursive: true });
  fs.writeFileSync(path.join(outdir, REPORT_FILES.json), `${JSON.stringify(report, null, 2)}\n`);
  fs.writeFileSync(path.join(outdir, REPORT_FILES.markdown), `${renderMarkdown(report)}\n`);
  fs.writeFileSync(path.join(outdir, REPORT_FILES.sarif), `${JSON.stringify(renderSarif(report), null, 2)}\n`);
}

export { formatGateSummary };
