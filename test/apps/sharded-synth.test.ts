import { availableParallelism } from 'os';
import { requestedWorkers, SHARDED_MIN_TENANTS, synthWorkerCount } from '../../apps/sharded-synth';

// The output itself (byte-identical to a one-thread synth) is compared in sharded-synth-output.test.ts.
describe('sharded synth (tenant stacks in worker threads)', () => {
  it('uses worker threads from SHARDED_MIN_TENANTS tenants on (one per core besides the main thread), never more than tenants, and as many as asked', () => {
    expect(synthWorkerCount(2)).toBe(0);
    expect(synthWorkerCount(SHARDED_MIN_TENANTS)).toBe(Math.min(availableParallelism() - 1, 8));
    expect(synthWorkerCount(500, 0)).toBe(0);
    expect(synthWorkerCount(3, 8)).toBe(3);
  });

  it('refuses a SYNTH_WORKERS that is not a whole number, naming the variable', () => {
    expect(requestedWorkers(undefined)).toBeUndefined();
    expect(requestedWorkers('2')).toBe(2);
    expect(() => requestedWorkers('two')).toThrow('SYNTH_WORKERS must be a whole number (0 = synthesize in one thread), got "two"');
    expect(() => requestedWorkers('-1')).toThrow(/SYNTH_WORKERS must be a whole number/);
  });
});
