import * as fs from 'fs';
import * as path from 'path';
import { loadPolicySync } from '@open-policy-agent/opa-wasm';
import { PolicyData, RawFinding, StackEvaluation } from './types';

/** The entrypoint compiled into policy.wasm (policies/gate/gate.rego). */
export const GATE_ENTRYPOINT = 'gate/report';

/** Where the committed bundle lives, from source (lib/policy) or compiled (dist/lib/policy). */
export function defaultWasmPath(): string {
  const candidates = [
    path.join(__dirname, 'bundle', 'policy.wasm'),
    path.resolve(__dirname, '..', '..', '..', 'lib', 'policy', 'bundle', 'policy.wasm'),
  ];
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (found === undefined) {
    throw new Error(
      `policy gate: compiled policy not found (looked in ${candidates.join(', ')}); run scripts/ci/policy.sh to build it`,
    );
  }
  return found;
}

/**
 * A loaded gate policy: evaluate one input document with one data document. The input is a value, or an
 * ArrayBuffer holding its JSON text (read as is, without a parse and a serialization in JavaScript).
 */
export interface GatePolicy {
  evaluate(input: unknown, data: PolicyData): StackEvaluation;
}

/** Policies loaded in this thread, by file: a synth judges in more than one place (apps/sharded-synth.ts, the gate). */
const loaded = new Map<string, GatePolicy>();

/**
 * The compiled gate policy at `wasmPath`, compiled once per thread: evaluations set their own data, so
 * callers can share one instance.
 */
export async function loadGatePolicy(wasmPath: string = defaultWasmPath()): Promise<GatePolicy> {
  let policy = loaded.get(wasmPath);
  if (policy === undefined) {
    policy = compileGatePolicy(wasmPath);
    loaded.set(wasmPath, policy);
  }
  return policy;
}

function compileGatePolicy(wasmPath: string): GatePolicy {
  const wasm = fs.readFileSync(wasmPath);
  // Large stacks (hundreds of resources, big Helm values) need more than the default memory. The
  // synchronous loader: the asynchronous one asks whether the module is a fetch `Response`, which makes
  // Node load its whole fetch implementation (~0.2 s of CPU on every synth) for nothing.
  const policy = loadPolicySync(wasm, { initial: 64, maximum: 16384 });
  return {
    evaluate(input: unknown, data: PolicyData): StackEvaluation {
      policy.setData(data);
      const results: unknown = policy.evaluate(input, GATE_ENTRYPOINT);
      return parseResult(results);
    },
  };
}

function parseResult(results: unknown): StackEvaluation {
  if (!Array.isArray(results) || results.length !== 1) {
    throw new Error(`policy gate: ${GATE_ENTRYPOINT} returned ${JSON.stringify(results)}; expected one result`);
  }
  const report = (results[0] as { result?: unknown }).result as { denies?: unknown; excepted?: unknown } | undefined;
  if (report === undefined || !Array.isArray(report.denies) || !Array.isArray(report.excepted)) {
    throw new Error(`policy gate: ${GATE_ENTRYPOINT} is undefined or malformed (is data.environment set?)`);
  }
  return { denies: report.denies as RawFinding[], excepted: report.excepted as RawFinding[] };
}

/** Order findings deterministically (sets come back from wasm in hash order). */
export function compareFindings(a: RawFinding & { stack?: string }, b: RawFinding & { stack?: string }): number {
  const keys: Array<keyof (RawFinding & { stack?: string })> = ['stack', 'rule', 'address', 'message', 'fix'];
  for (const key of keys) {
    const left = String(a[key] ?? '');
    const right = String(b[key] ?? '');
    if (left !== right) {
      return left < right ? -1 : 1;
    }
  }
  return 0;
}

export function sortFindings<T extends RawFinding>(findings: readonly T[]): T[] {
  return [...findings].sort(compareFindings);
}
