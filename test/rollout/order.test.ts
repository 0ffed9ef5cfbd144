import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RolloutError } from '../../lib/rollout/errors';
import { parseManifest, readManifest } from '../../lib/rollout/manifest';
import { layerRank, orderStacks, selectStacks, stacksForEnvironment } from '../../lib/rollout/order';
import { stack } from './fake-runner';

const names = (xs: { name: string }[]) => xs.map((x) => x.name);

describe('layerRank', () => {
  it.each([
    ['dev-state', 0],
    ['dev-platform', 1],
    ['dev-addons', 2],
    ['dev-workloads', 3],
    ['dev-tenant-acme', 4],
    // A tenant whose id looks like a layer is still a tenant.
    ['dev-tenant-state', 4],
    ['dev-tenant-addons', 4],
    ['dev-something-else', 5],
  ])('%s -> %d', (name, rank) => expect(layerRank(name)).toBe(rank));
});

describe('orderStacks', () => {
  it('puts state, platform, addons, workloads, tenants in that order even without declared dependencies', () => {
    const ordered = orderStacks([stack('dev-tenant-b'), stack('dev-workloads'), stack('dev-tenant-a'), stack('dev-addons'), stack('dev-platform'), stack('dev-state')]);
    expect(names(ordered)).toEqual(['dev-state', 'dev-platform', 'dev-addons', 'dev-workloads', 'dev-tenant-a', 'dev-tenant-b']);
  });

  it('follows the real dependency graph of a synthesized environment', () => {
    const ordered = orderStacks([
      stack('dev-tenant-acme', ['dev-workloads', 'dev-platform']),
      stack('dev-workloads', ['dev-addons', 'dev-platform']),
      stack('dev-addons', ['dev-platform']),
      stack('dev-platform'),
      stack('dev-state'),
    ]);
    expect(names(ordered)).toEqual(['dev-state', 'dev-platform', 'dev-addons', 'dev-workloads', 'dev-tenant-acme']);
  });

  it('lets dependencies win over the layer tie-break', () => {
    // Unusual, but legal: a platform stack reading a tenant stack's output must come after it.
    const ordered = orderStacks([stack('dev-platform', ['dev-tenant-x']), stack('dev-tenant-x'), stack('dev-state')]);
    expect(names(ordered)).toEqual(['dev-state', 'dev-tenant-x', 'dev-platform']);
  });

  it('is deterministic whatever the input order', () => {
    const input = [stack('e-tenant-c', ['e-workloads']), stack('e-tenant-a', ['e-workloads']), stack('e-workloads', ['e-platform']), stack('e-platform'), stack('e-state')];
    const expected = names(orderStacks(input));
    for (let i = 0; i < 5; i++) {
      const shuffled = [...input.slice(i), ...input.slice(0, i)].reverse();
      expect(names(orderStacks(shuffled))).toEqual(expected);
    }
    expect(expected).toEqual(['e-state', 'e-platform', 'e-workloads', 'e-tenant-a', 'e-tenant-c']);
  });

  it('names the stacks of a dependency cycle', () => {
    const cyclic = [stack('dev-state'), stack('dev-platform', ['dev-workloads']), stack('dev-workloads', ['dev-tenant-a']), stack('dev-tenant-a', ['dev-platform'])];
    expect(() => orderStacks(cyclic)).toThrow(RolloutError);
    expect(() => orderStacks(cyclic)).toThrow('stacks have a dependency cycle: dev-platform -> dev-workloads -> dev-tenant-a -> dev-platform');
  });

  it('reports a self-dependency as a cycle', () => {
    expect(() => orderStacks([stack('dev-platform', ['dev-platform'])])).toThrow('dev-platform -> dev-platform');
  });

  it('rejects unknown dependencies and duplicate names', () => {
    expect(() => orderStacks([stack('dev-platform', ['dev-nope'])])).toThrow('stack "dev-platform" depends on unknown stack "dev-nope"');
    expect(() => orderStacks([stack('dev-state'), stack('dev-state')])).toThrow('appears twice');
  });
});

describe('selectStacks', () => {
  const ordered = orderStacks([stack('dev-state'), stack('dev-platform'), stack('dev-workloads', ['dev-platform'])]);

  it('keeps everything when nothing is requested', () => {
    expect(names(selectStacks(ordered, undefined))).toEqual(['dev-state', 'dev-platform', 'dev-workloads']);
  });

  it('keeps dependency order, accepting full and short names', () => {
    expect(names(selectStacks(ordered, ['workloads', 'dev-state'], 'dev'))).toEqual(['dev-state', 'dev-workloads']);
  });

  it('rejects an unknown name and lists the valid ones', () => {
    expect(() => selectStacks(ordered, ['platfrom'], 'dev')).toThrow('unknown stack "platfrom"; the manifest has: dev-state, dev-platform, dev-workloads');
  });
});

describe('stacksForEnvironment', () => {
  it('keeps only the environment prefix', () => {
    expect(names(stacksForEnvironment([stack('dev-state'), stack('prod-state'), stack('development-state')], 'dev'))).toEqual(['dev-state']);
  });
  it('explains a manifest synthesized for another environment', () => {
    expect(() => stacksForEnvironment([stack('prod-state')], 'dev')).toThrow('no stacks of environment "dev" (it has: prod-state)');
  });
});

describe('manifest', () => {
  it('maps construct-path dependencies to stack names and resolves working directories', () => {
    const stacks = parseManifest(
      {
        version: '0.21.0',
        stacks: {
          'dev-workloads': { name: 'dev-workloads', constructPath: 'dev-workloads', workingDirectory: 'stacks/dev-workloads', dependencies: ['dev-platform'] },
          'dev-platform': { name: 'dev-platform', constructPath: 'dev-platform', workingDirectory: 'stacks/dev-platform', dependencies: [] },
        },
      },
      '/out',
    );
    expect(stacks).toEqual([
      { name: 'dev-platform', workingDirectory: '/out/stacks/dev-platform', dependencies: [] },
      { name: 'dev-workloads', workingDirectory: '/out/stacks/dev-workloads', dependencies: ['dev-platform'] },
    ]);
  });

  it('rejects a manifest without stacks, or with a dangling dependency', () => {
    expect(() => parseManifest({ version: '0.21.0' }, '/out')).toThrow('has no "stacks" object');
    expect(() => parseManifest({ stacks: { a: { workingDirectory: 'stacks/a', dependencies: ['b'] } } }, '/out')).toThrow('depends on "b", which is not in the manifest');
    expect(() => parseManifest({ stacks: { a: { dependencies: [] } } }, '/out')).toThrow('has no "workingDirectory"');
  });

  it('tells the operator to synthesize when the manifest is missing or broken', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rollout-manifest-'));
    try {
      expect(() => readManifest(dir)).toThrow(/no cdktf manifest at .*manifest\.json: synthesize first/);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'manifest.json'), '{ not json');
      expect(() => readManifest(dir)).toThrow('is not valid JSON');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
