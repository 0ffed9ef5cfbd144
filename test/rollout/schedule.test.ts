import { orderStacks, shardStacks } from '../../lib/rollout/order';
import { runScheduled } from '../../lib/rollout/schedule';
import { stack } from './fake-runner';

const tenants = Array.from({ length: 10 }, (_, i) => stack(`e-tenant-t${String(i).padStart(2, '0')}`, ['e-workloads']));
const env = orderStacks([stack('e-state'), stack('e-platform'), stack('e-addons', ['e-platform']), stack('e-workloads', ['e-addons']), ...tenants]);

/** A task that finishes after `delay(name)` event-loop turns, recording when stacks start and end. */
function tracedTask(delay: (name: string) => number) {
  const events: string[] = [];
  let running = 0;
  let maxRunning = 0;
  const task = async (s: { name: string }, output: (chunk: string, stream: 'stdout' | 'stderr') => void) => {
    running++;
    maxRunning = Math.max(maxRunning, running);
    events.push(`start ${s.name}`);
    output(`${s.name} line 1\n`, 'stdout');
    for (let i = 0; i < delay(s.name); i++) await new Promise((r) => setImmediate(r));
    output(`${s.name} line 2\n`, 'stdout');
    events.push(`end ${s.name}`);
    running--;
    return s.name.toUpperCase();
  };
  return { task, events, maxRunning: () => maxRunning };
}

describe('runScheduled', () => {
  it('runs shared stacks one at a time in order, then at most N tenants at once; results in input order', async () => {
    // Later tenants finish first, so completion order differs from input order.
    const { task, events, maxRunning } = tracedTask((name) => (name.includes('tenant') ? 30 - Number(name.slice(-2)) * 3 : 1));
    let log = '';
    const results = await runScheduled(task, { stacks: env, parallel: 3, log: (t) => (log += t), label: 'plan' });

    expect(results).toEqual(env.map((s) => s.name.toUpperCase()));
    expect(maxRunning()).toBe(3);
    // Shared stacks strictly sequential, before any tenant starts.
    expect(events.slice(0, 8)).toEqual(['e-state', 'e-platform', 'e-addons', 'e-workloads'].flatMap((n) => [`start ${n}`, `end ${n}`]));
    expect(events.indexOf('end e-workloads')).toBeLessThan(events.indexOf('start e-tenant-t00'));
    // Each tenant's output is one block under its header, never interleaved with another's.
    for (const t of tenants) expect(log).toContain(`\n==> plan ${t.name}\n${t.name} line 1\n${t.name} line 2\n`);
  });

  it('is deterministic in its results whatever the timing', async () => {
    const a = await runScheduled(tracedTask(() => 1).task, { stacks: env, parallel: 4, log: () => undefined, label: 'x' });
    const b = await runScheduled(tracedTask((n) => n.length % 7).task, { stacks: env, parallel: 4, log: () => undefined, label: 'x' });
    expect(b).toEqual(a);
  });

  it('with parallel 1 runs everything in order, streaming', async () => {
    const { task, events, maxRunning } = tracedTask(() => 2);
    let log = '';
    await runScheduled(task, { stacks: env, parallel: 1, log: (t) => (log += t), label: 'drift' });
    expect(maxRunning()).toBe(1);
    expect(events.filter((e) => e.startsWith('start')).map((e) => e.slice(6))).toEqual(env.map((s) => s.name));
    expect(log.startsWith('\n==> drift e-state\ne-state line 1\n')).toBe(true);
  });

  it('starts nothing new once a result stops the run; running stacks finish', async () => {
    const { task, events } = tracedTask((name) => (name.endsWith('t01') ? 1 : 10));
    const results = await runScheduled(task, { stacks: env, parallel: 2, log: () => undefined, label: 'apply', stopsTheRun: (r) => r === 'E-TENANT-T01' });
    expect(results.slice(4, 6)).toEqual(['E-TENANT-T00', 'E-TENANT-T01']);
    // t01 stopped the run: t00, already running, completes; nothing after it starts.
    expect(results.slice(6)).toEqual(Array(8).fill(undefined));
    expect(events).not.toContain('start e-tenant-t02');
  });

  it('does not start tenants when a shared stack stops the run', async () => {
    const { task, events } = tracedTask(() => 1);
    const results = await runScheduled(task, { stacks: env, parallel: 4, log: () => undefined, label: 'apply', stopsTheRun: (r) => r === 'E-ADDONS' });
    expect(results.filter((r) => r !== undefined)).toEqual(['E-STATE', 'E-PLATFORM', 'E-ADDONS']);
    expect(events.some((e) => e.includes('tenant') || e.includes('workloads'))).toBe(false);
  });
});

describe('shardStacks', () => {
  it('deals tenants round-robin, shared stacks to shard 1 only; every stack in exactly one shard', () => {
    const shards = [1, 2, 3].map((index) => shardStacks(env, { index, count: 3 }).map((s) => s.name));
    expect(shards[0]).toEqual(['e-state', 'e-platform', 'e-addons', 'e-workloads', 'e-tenant-t00', 'e-tenant-t03', 'e-tenant-t06', 'e-tenant-t09']);
    expect(shards[1]).toEqual(['e-tenant-t01', 'e-tenant-t04', 'e-tenant-t07']);
    expect(shards[2]).toEqual(['e-tenant-t02', 'e-tenant-t05', 'e-tenant-t08']);
    expect(shards.flat().sort()).toEqual(env.map((s) => s.name).sort());
  });
});
