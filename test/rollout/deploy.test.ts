import { deployStacks } from '../../lib/rollout/deploy';
import { orderStacks } from '../../lib/rollout/order';
import { FakeRunner, stack } from './fake-runner';

const env = orderStacks([stack('dev-state'), stack('dev-platform'), stack('dev-workloads', ['dev-platform']), stack('dev-tenant-acme', ['dev-workloads'])]);

describe('deployStacks', () => {
  it('runs the gate first, then init + apply per stack in dependency order', async () => {
    const events: string[] = [];
    const runner = new FakeRunner((s, sub) => {
      events.push(`${s}:${sub}`);
      return {};
    });
    const result = await deployStacks({
      stacks: env,
      runner,
      gate: async () => {
        events.push('gate');
        return true;
      },
    });
    expect(result.status).toBe('applied');
    expect(result.applied).toEqual(['dev-state', 'dev-platform', 'dev-workloads', 'dev-tenant-acme']);
    expect(events).toEqual([
      'gate',
      'dev-state:init',
      'dev-state:apply',
      'dev-platform:init',
      'dev-platform:apply',
      'dev-workloads:init',
      'dev-workloads:apply',
      'dev-tenant-acme:init',
      'dev-tenant-acme:apply',
    ]);
    expect(runner.calls.find((c) => c.subcommand === 'apply')?.args).toEqual(['-auto-approve', '-lock-timeout=300s']);
  });

  it('stops at the first failing stack and names it with the terraform error tail', async () => {
    const runner = new FakeRunner((s, sub) =>
      s === 'dev-platform' && sub === 'apply'
        ? {
            exitCode: 1,
            stdout: 'aws_eks_cluster.main: Creating...\n',
            stderr: `${Array.from({ length: 30 }, (_, i) => `noise ${i}`).join('\n')}\n\nError: creating EKS Cluster (dev): AccessDeniedException\n\n  with aws_eks_cluster.main,\n`,
          }
        : {},
    );
    const result = await deployStacks({ stacks: env, runner, gate: async () => true });

    expect(result.status).toBe('failed');
    expect(result.applied).toEqual(['dev-state']);
    expect(result.notAttempted).toEqual(['dev-workloads', 'dev-tenant-acme']);
    expect(result.failed).toMatchObject({ stack: 'dev-platform', step: 'apply', exitCode: 1 });
    expect(runner.trace).toEqual(['dev-state:init', 'dev-state:apply', 'dev-platform:init', 'dev-platform:apply']);
    expect(result.message).toContain('deploy stopped at stack "dev-platform": terraform apply failed (exit 1):');
    expect(result.message).toContain('Error: creating EKS Cluster (dev): AccessDeniedException');
    expect(result.message).toContain('applied before it: dev-state; not attempted: dev-workloads, dev-tenant-acme');
    // Only the tail: the first lines of a long error output are cut.
    expect(result.message).not.toContain('noise 0\n');
    expect(result.failed?.tail.split('\n')).toHaveLength(20);
  });

  it('stops when init fails, before apply', async () => {
    const runner = new FakeRunner((s, sub) => (s === 'dev-state' && sub === 'init' ? { exitCode: 1, stderr: 'Error: Failed to get existing workspaces: S3 bucket does not exist.' } : {}));
    const result = await deployStacks({ stacks: env, runner, gate: async () => true });
    expect(runner.trace).toEqual(['dev-state:init']);
    expect(result.failed).toMatchObject({ stack: 'dev-state', step: 'init' });
    expect(result.message).toContain('S3 bucket does not exist');
  });

  it('touches nothing when the gate says no', async () => {
    const runner = new FakeRunner();
    const result = await deployStacks({ stacks: env, runner, gate: async () => false });
    expect(result).toEqual({
      status: 'blocked',
      applied: [],
      notAttempted: ['dev-state', 'dev-platform', 'dev-workloads', 'dev-tenant-acme'],
      message: 'deploy blocked by the policy gate; no stack was touched',
    });
    expect(runner.calls).toEqual([]);
  });

  it('fails closed when the gate throws', async () => {
    const runner = new FakeRunner();
    const result = await deployStacks({
      stacks: env,
      runner,
      gate: async () => {
        throw new Error('opa wasm bundle missing');
      },
    });
    expect(result.status).toBe('blocked');
    expect(result.message).toBe('deploy blocked by the policy gate: opa wasm bundle missing; no stack was touched');
    expect(runner.calls).toEqual([]);
  });
});
