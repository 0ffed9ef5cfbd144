import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { formatGateSummary, GateSubject, judgeStacks, loadGatePolicy, PolicyData, writePolicyReports } from '../policy';
import { RolloutError } from './errors';

/** One saved plan for the gate to judge: `terraform show -json` of the plan file that will be applied. */
export interface PlanToJudge {
  readonly stack: string;
  /** Absolute path of the plan JSON. */
  readonly planJsonFile: string;
}

export interface GateVerdict {
  readonly passed: boolean;
  /** One line per finding and a verdict line, for the log. */
  readonly summary: string;
}

/**
 * The policy gate over plan JSON: judges the saved plans (where count/for_each/dynamic are expanded)
 * and writes its report into `reportDir`. The seam between rollout and policy: anything that answers
 * this way (e.g. `npm run gate` over a plan directory) can replace the in-process implementation below.
 */
export type PlanGate = (request: { readonly synthDir: string; readonly plans: readonly PlanToJudge[]; readonly reportDir: string }) => Promise<GateVerdict>;

/**
 * The in-process gate (the compiled policy bundle, no OPA install). Each plan is judged with the same
 * data document synth judged its cdk.tf.json with (`<synth-dir>/policy-data/<stack>.json`), so the
 * environment's regions, mirrors and written exceptions apply to the plan as they did to the synth.
 */
export const policyPlanGate: PlanGate = async ({ synthDir, plans, reportDir }) => {
  const policy = await loadGatePolicy();
  let environment: PolicyData['environment'] | undefined;
  const subjects: GateSubject[] = plans.map((plan) => {
    const dataFile = path.join(synthDir, 'policy-data', `${plan.stack}.json`);
    if (!existsSync(dataFile)) throw new RolloutError(`policy gate: no ${dataFile}; synthesize with npm run synth, which writes it`);
    const data = JSON.parse(readFileSync(dataFile, 'utf8')) as PolicyData;
    environment = data.environment;
    return { stack: data.stack, input: JSON.parse(readFileSync(plan.planJsonFile, 'utf8')) as unknown, file: path.relative(reportDir, plan.planJsonFile) };
  });
  if (environment === undefined) return { passed: true, summary: 'policy gate: no stack has changes to judge' };
  const report = judgeStacks(policy, environment, subjects);
  writePolicyReports(reportDir, report);
  return { passed: report.passed, summary: formatGateSummary(report) };
};
