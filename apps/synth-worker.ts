// First: before anything loads cdktf (apps/defer-archiver.ts).
import './defer-archiver';
import { parentPort, workerData } from 'worker_threads';
import { buildTenantShard } from './build-tenant-shard';
import { CrossStackReference, judgeTenantStacks, ShardJob, ShardMessage, synthesizeStacks } from './sharded-synth';
import { withoutTokenTraces } from './token-traces';

/**
 * A worker thread of the sharded synth (apps/sharded-synth.ts): builds the platform stack and its share
 * of the tenants, synthesizes and judges those tenant stacks only.
 */
async function run(job: ShardJob): Promise<void> {
  const ids = new Set(job.tenantIds);
  const { app, tenants } = withoutTokenTraces(() => buildTenantShard(job.config, job.outdir, job.config.tenants.filter((tenant) => ids.has(tenant.id))));
  const references: CrossStackReference[] = [];
  const crossStackReference = app.crossStackReference.bind(app);
  app.crossStackReference = (fromStack, toStack, identifier) => {
    references.push({ stack: fromStack.node.id, identifier });
    return crossStackReference(fromStack, toStack, identifier);
  };
  withoutTokenTraces(() => tenants.forEach((stack) => stack.prepareStack()));
  post({ kind: 'references', references });
  withoutTokenTraces(() => synthesizeStacks(app, tenants));
  const judged = await judgeTenantStacks(job.config, job.outdir, job.environment, tenants);
  const names = new Set(tenants.map((stack) => stack.node.id));
  const manifest = Object.fromEntries(Object.entries(app.manifest.stacks).filter(([name]) => names.has(name)));
  post({ kind: 'done', manifest, judged });
}

function post(message: ShardMessage): void {
  parentPort?.postMessage(message);
}

run(workerData as ShardJob).catch((error: Error) => {
  // The main thread sees the error event; rethrow outside the promise so the worker fails with it.
  setImmediate(() => {
    throw error;
  });
});
