import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { OutputSink, RunResult, TerraformRunner } from '../../lib/rollout/runner';

export interface Call {
  readonly dir: string;
  readonly subcommand: string;
  readonly args: readonly string[];
}

/**
 * A scripted terraform: `respond` decides each call's result from the stack directory's basename and
 * the subcommand; every call is recorded so tests can assert order and arguments. A `plan` with
 * changes (exit 2) and an absolute `-out=` writes a small plan file there, as terraform would; the
 * result's stdout is passed to the call's output sink.
 */
export class FakeRunner implements TerraformRunner {
  readonly calls: Call[] = [];
  constructor(private readonly respond: (stack: string, subcommand: string, args: readonly string[]) => Partial<RunResult> = () => ({})) {}

  async run(dir: string, subcommand: string, args: readonly string[], onOutput?: OutputSink): Promise<RunResult> {
    this.calls.push({ dir, subcommand, args });
    const stack = dir.split('/').pop() ?? dir;
    const r = this.respond(stack, subcommand, args);
    const result = { exitCode: r.exitCode ?? 0, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
    const out = args.find((a) => a.startsWith('-out='))?.slice('-out='.length);
    if (subcommand === 'plan' && result.exitCode === 2 && out !== undefined && path.isAbsolute(out)) writeFileSync(out, `plan of ${stack}\n`);
    if (result.stdout !== '') onOutput?.(result.stdout, 'stdout');
    return result;
  }

  /** `stack:subcommand` per call, for compact order assertions. */
  get trace(): string[] {
    return this.calls.map((c) => `${c.dir.split('/').pop()}:${c.subcommand}`);
  }
}

export function stack(name: string, dependencies: string[] = []): { name: string; workingDirectory: string; dependencies: string[] } {
  return { name, workingDirectory: `/synth/stacks/${name}`, dependencies };
}

/**
 * A synthesized-looking output directory `<root>/<dir>` (default cdktf.out) with the given stacks (name ->
 * dependencies): manifest.json and a cdk.tf.json per stack (content from `config`, by default naming the stack).
 */
export function fakeSynth(
  root: string,
  stacks: Record<string, string[]>,
  config: (name: string) => unknown = (name) => ({ resource: { terraform_data: { [name]: {} } } }),
  dir = 'cdktf.out',
): string {
  const out = path.resolve(root, dir);
  const manifest: Record<string, unknown> = {};
  for (const [name, deps] of Object.entries(stacks)) {
    mkdirSync(path.join(out, 'stacks', name), { recursive: true });
    writeFileSync(path.join(out, 'stacks', name, 'cdk.tf.json'), JSON.stringify(config(name)));
    manifest[name] = { name, constructPath: name, workingDirectory: `stacks/${name}`, synthesizedStackPath: `stacks/${name}/cdk.tf.json`, dependencies: deps, annotations: [] };
  }
  writeFileSync(path.join(out, 'manifest.json'), JSON.stringify({ version: '0.21.0', stacks: manifest }));
  return out;
}

/** A plan JSON (`terraform show -json`) with one resource change and, optionally, a changed output. */
export function planJson(address: string, actions: string[] = ['create'], changedOutput?: string): string {
  return JSON.stringify({
    format_version: '1.2',
    resource_changes: [{ address, mode: 'managed', change: { actions } }],
    output_changes: changedOutput === undefined ? {} : { [changedOutput]: { actions: ['create'] } },
  });
}

/** A tenant stack's synthesized offboarding Job (lib/tenancy/offboarding.ts), as the destroy gate reads it. */
export const offboardingJob = (removes: string) => ({ metadata: { name: 'offboard', annotations: { 'rag.platform/removes': removes } } });

/** A stack's JSON: a tenant stack with its two offboarding Jobs (`offboard: true`), any other stack one resource. */
export const offboarded = (name: string) =>
  /-tenant-/.test(name)
    ? { resource: { kubernetes_job_v1: { litellm: offboardingJob(`LiteLLM key and team of ${name}`), queue: offboardingJob(`queue ACL user of ${name}`) } } }
    : { resource: { terraform_data: { [name]: {} } } };

/** `terraform show -json` of a state holding these managed resources (address -> tainted). */
export const stateJson = (resources: Record<string, boolean>) =>
  JSON.stringify({ values: { root_module: { resources: Object.entries(resources).map(([address, tainted]) => ({ address, mode: 'managed', ...(tainted ? { tainted } : {}) })) } } });

/** A tenant state holding its applied offboarding Jobs (as `offboarded` synthesizes them). */
export const APPLIED = stateJson({ 'kubernetes_job_v1.litellm': false, 'kubernetes_job_v1.queue': false, 'kubernetes_namespace_v1.ns': false });
