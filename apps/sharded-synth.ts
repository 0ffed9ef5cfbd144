import { mkdirSync } from 'fs';
import { availableParallelism } from 'os';
import { extname, join } from 'path';
import { Worker } from 'worker_threads';
import { App, TerraformStack } from 'cdktf';
import { EnvironmentConfig } from '../lib/config/schema';
import { judgeStackFile } from '../lib/policy/gate';
import { JudgedStack, PolicyEnvironment } from '../lib/policy/types';
import { loadGatePolicy } from '../lib/policy/wasm';
import { environmentStacks } from './policy-environment';
import { buildEnvironment } from './build';
import { withoutTokenTraces } from './token-traces';

/**
 * Synth + gate with the tenant stacks split between this thread and worker threads: what makes a
 * 500-tenant environment take seconds rather than half a minute on a 2-core runner (README, "Cost of the
 * main job").
 *
 * Every tenant stack is independent of the others: it is built from the config, its tenant and
 * references to the platform stack. So the tenants are shared out between this thread and the workers.
 * This thread builds the shared stacks and its own share of tenants, synthesizes and judges its tenant
 * stacks while the workers do theirs, then synthesizes the shared stacks. Each worker builds the platform
 * stack and its share (apps/build-tenant-shard.ts), synthesizes and judges those tenant stacks. What a
 * worker's tenant stack changes elsewhere is replayed: preparing it makes cdktf add an output to the
 * platform stack (`App.crossStackReference`); each worker reports those references, this thread
 * registers them on its own shared stacks before synthesizing them, and adds the workers' entries to
 * manifest.json. The output is byte-identical to a one-thread synth (test/apps/sharded-synth-output.test.ts).
 */

/**
 * Below this many tenants one thread is faster: each worker first loads the libraries and builds the
 * platform stack, about a second of CPU, which a tenant stack (~30 ms synth + gate) repays only in numbers.
 */
export const SHARDED_MIN_TENANTS = 40;

/** More threads than cores only add the per-worker start-up. */
const MAX_WORKERS = 8;

/**
 * How many worker threads to use besides this one for `tenants` tenants: `requested` (0 = none) when
 * given, else one per core but this thread's from SHARDED_MIN_TENANTS tenants on (none on one core).
 */
export function synthWorkerCount(tenants: number, requested?: number): number {
  if (requested !== undefined) {
    return Math.min(requested, tenants);
  }
  return tenants >= SHARDED_MIN_TENANTS ? Math.min(availableParallelism() - 1, MAX_WORKERS) : 0;
}

/** SYNTH_WORKERS: a whole number of worker threads (0 = synthesize in one thread), or unset. */
export function requestedWorkers(value: string | undefined): number | undefined {
  if (value === undefined || value === '') {
    return undefined;
  }
  const count = Number(value);
  if (!Number.isInteger(count) || count < 0) {
    throw new Error(`SYNTH_WORKERS must be a whole number (0 = synthesize in one thread), got ${JSON.stringify(value)}`);
  }
  return count;
}

/** What the main thread sends a worker. */
export interface ShardJob {
  readonly config: EnvironmentConfig;
  readonly outdir: string;
  readonly environment: PolicyEnvironment;
  readonly tenantIds: readonly string[];
}

/** A stack an output was added to, and the referenced identifier (`App.crossStackReference`). */
export interface CrossStackReference {
  readonly stack: string;
  readonly identifier: string;
}

/** What a worker sends back: first its references (after preparing), then its stacks. */
export type ShardMessage =
  | { readonly kind: 'references'; readonly references: readonly CrossStackReference[] }
  | { readonly kind: 'done'; readonly manifest: Record<string, unknown>; readonly judged: readonly JudgedStack[] };

/**
 * Synthesizes every stack of `config` into `outdir` with the tenant stacks shared out between this thread
 * and `workers` threads; every tenant stack is judged as soon as it is written, here or in its worker.
 * Returns the tenant stacks' verdicts; the shared stacks are left for the caller's gate.
 */
export async function synthesizeSharded(config: EnvironmentConfig, outdir: string, environment: PolicyEnvironment, workers: number): Promise<JudgedStack[]> {
  // Every App creates outdir/stacks when missing: create it before any thread can race for it.
  mkdirSync(join(outdir, 'stacks'), { recursive: true });
  const shares = workers + 1;
  const shards = Array.from({ length: shares }, (_, index) => config.tenants.slice(Math.floor((index * config.tenants.length) / shares), Math.floor(((index + 1) * config.tenants.length) / shares)));
  const threads = shards.slice(1).map((tenants) => new ShardThread({ config, outdir, environment, tenantIds: tenants.map((tenant) => tenant.id) }));
  try {
    const { app, platform, addons, workloads, state, tenants } = withoutTokenTraces(() => buildEnvironment(config, outdir, shards[0]));
    const stacks = [state, platform, addons, workloads].filter((stack): stack is NonNullable<typeof stack> => stack !== undefined);
    withoutTokenTraces(() => [...stacks, ...tenants].forEach((stack) => stack.prepareStack()));
    const session = synthesisSession(app);
    withoutTokenTraces(() => tenants.forEach((stack) => stack.synthesizer.synthesize(session)));
    const judged = await judgeTenantStacks(config, outdir, environment, tenants);
    const references = (await Promise.all(threads.map((thread) => thread.references))).flat();
    withoutTokenTraces(() => {
      for (const reference of references) {
        sharedStack(stacks, reference.stack).registerOutgoingCrossStackReference(reference.identifier);
      }
      synthesizeStacks(app, stacks);
    });
    const done = await Promise.all(threads.map((thread) => thread.done));
    done.forEach((shard) => Object.assign(app.manifest.stacks, shard.manifest));
    app.manifest.writeToFile();
    return [...judged, ...done.flatMap((shard) => [...shard.judged])];
  } finally {
    threads.forEach((thread) => thread.stop());
  }
}

/** Judges tenant stacks already written to `outdir` (here, or in a worker thread for its share). */
export async function judgeTenantStacks(config: EnvironmentConfig, outdir: string, environment: PolicyEnvironment, tenants: readonly TerraformStack[]): Promise<JudgedStack[]> {
  const names = new Set(tenants.map((stack) => stack.node.id));
  const policy = await loadGatePolicy();
  return environmentStacks(config)
    .filter((stack) => names.has(stack.name))
    .map((stack) => judgeStackFile(policy, environment, outdir, stack));
}

function synthesisSession(app: App) {
  return { outdir: app.outdir, skipValidation: app.skipValidation, manifest: app.manifest };
}

/**
 * What `App.synth()` does, for some of the app's stacks (already prepared): synthesize each, then run
 * the app's validations. The caller writes manifest.json.
 */
export function synthesizeStacks(app: App, stacks: readonly TerraformStack[]): void {
  const session = synthesisSession(app);
  stacks.forEach((stack) => stack.synthesizer.synthesize(session));
  if (!app.skipValidation) {
    const errors = app.node.validate();
    if (errors.length > 0) {
      throw new Error(`App-level validation failed with the following errors:\n  ${errors.join('\n  ')}`);
    }
  }
}

function sharedStack(stacks: readonly TerraformStack[], name: string): TerraformStack {
  const stack = stacks.find((candidate) => candidate.node.id === name);
  if (stack === undefined) {
    throw new Error(`sharded synth: a tenant stack reads ${name}, which is not a shared stack`);
  }
  return stack;
}

/**
 * The worker script: compiled JavaScript next to this file, or the TypeScript source under jest, where
 * the worker compiles each module it requires with TypeScript's transpileModule, as ts-jest does.
 */
const WORKER_SCRIPT = join(__dirname, `synth-worker${extname(__filename)}`);

const TYPESCRIPT_WORKER = `
const fs = require('fs');
const ts = require('typescript');
require.extensions['.ts'] = (module, file) => {
  const options = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, resolveJsonModule: true };
  module._compile(ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions: options, fileName: file }).outputText, file);
};
require(${JSON.stringify(WORKER_SCRIPT)});
`;

/** One worker and its two answers; a failure in the worker rejects both. */
class ShardThread {
  readonly references: Promise<readonly CrossStackReference[]>;
  readonly done: Promise<Extract<ShardMessage, { kind: 'done' }>>;
  private readonly worker: Worker;

  constructor(job: ShardJob) {
    this.worker = WORKER_SCRIPT.endsWith('.ts') ? new Worker(TYPESCRIPT_WORKER, { eval: true, workerData: job }) : new Worker(WORKER_SCRIPT, { workerData: job });
    const failed = new Promise<never>((_, reject) => {
      this.worker.once('error', reject);
      this.worker.once('exit', (code) => reject(new Error(`sharded synth: a worker exited (code ${code}) before finishing`)));
    });
    const message = (kind: ShardMessage['kind']) =>
      Promise.race([failed, new Promise<ShardMessage>((resolve) => this.worker.on('message', (m: ShardMessage) => m.kind === kind && resolve(m)))]);
    this.references = message('references').then((m) => (m.kind === 'references' ? m.references : []));
    this.done = message('done') as Promise<Extract<ShardMessage, { kind: 'done' }>>;
    // Both are awaited in turn; a failure must not surface as an unhandled rejection meanwhile.
    this.references.catch(() => undefined);
    this.done.catch(() => undefined);
  }

  stop(): void {
    void this.worker.terminate();
  }
}
