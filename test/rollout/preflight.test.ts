import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../lib/rollout/cli';
import { cloudPreflight } from '../../lib/rollout/preflight';
import { AzResult } from '../../lib/azure/preflight';
import { fakeSynth, FakeRunner } from './fake-runner';

const SUBSCRIPTION = '11111111-2222-4333-8444-555555555555';
const azureStack = (name: string) => ({
  provider: { azurerm: [{ features: [{}], subscription_id: SUBSCRIPTION }, { alias: 'hub', subscription_id: 'hub-subscription' }] },
  resource: { terraform_data: { [name]: {} } },
});

describe('deploy preflight of the cloud account', () => {
  let dir: string;
  let err: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'preflight-'));
    err = '';
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const deploy = (runner: FakeRunner, az: (args: readonly string[]) => AzResult, calls: string[][]) =>
    runCli(['deploy'], {
      cwd: dir,
      env: {},
      stdout: () => undefined,
      stderr: (text) => (err += text),
      gate: async () => ({ passed: true, denied: 0, findings: [] }) as never,
      runner,
      inventory: () => undefined,
      stdinIsTTY: false,
      preflight: cloudPreflight(async (args) => {
        calls.push([...args]);
        return az(args);
      }),
    });

  test('an Azure subscription without EncryptionAtHost is refused before any terraform command (exit 3)', async () => {
    fakeSynth(dir, { 'dev-platform': [] }, azureStack);
    const runner = new FakeRunner();
    const calls: string[][] = [];
    const code = await deploy(runner, (args) => ({ exitCode: 0, stdout: args.includes('feature') ? 'NotRegistered\n' : 'Registered\n', stderr: '' }), calls);
    expect(code).toBe(3);
    expect(runner.calls).toEqual([]);
    expect(err).toContain(`deploy refused: subscription ${SUBSCRIPTION} is not ready`);
    expect(err).toContain('missing: feature Microsoft.Compute/EncryptionAtHost registered (found: NotRegistered)');
    // The deploy subscription (the default provider), never the hub's.
    expect(calls.every((call) => call.includes(SUBSCRIPTION) && !call.includes('hub-subscription'))).toBe(true);
  });

  test('AWS stacks have nothing to check: az is never called', async () => {
    fakeSynth(dir, { 'dev-platform': [] });
    const calls: string[][] = [];
    await deploy(new FakeRunner(), () => ({ exitCode: 0, stdout: 'Registered\n', stderr: '' }), calls);
    expect(calls).toEqual([]);
    expect(err).not.toContain('is not ready');
  });
});
