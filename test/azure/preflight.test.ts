import { azurePreflight, AzResult, describePreflight } from '../../lib/azure/preflight';
import { REQUIRED_RESOURCE_PROVIDERS } from '../../lib/azure/provider';

const SUBSCRIPTION = '11111111-2222-4333-8444-555555555555';

/** A scripted `az`: answers `provider show` / `feature show` from the given states; records every call. */
function fakeAz(states: Record<string, string | AzResult>) {
  const calls: string[][] = [];
  const az = async (args: readonly string[]): Promise<AzResult> => {
    calls.push([...args]);
    const name = args[0] === 'provider' ? args[args.indexOf('--namespace') + 1] : `${args[args.indexOf('--namespace') + 1]}/${args[args.indexOf('--name') + 1]}`;
    const state = states[name] ?? 'Registered';
    return typeof state === 'string' ? { exitCode: 0, stdout: `${state}\n`, stderr: '' } : state;
  };
  return { az, calls };
}

describe('Azure deploy preflight', () => {
  it('passes a subscription with every provider and EncryptionAtHost registered, asking read-only questions of the configured subscription', async () => {
    const { az, calls } = fakeAz({});
    expect(await azurePreflight(SUBSCRIPTION, az)).toEqual([]);
    expect(calls).toHaveLength(REQUIRED_RESOURCE_PROVIDERS.length + 1);
    for (const call of calls) {
      expect(call[1]).toBe('show');
      expect(call.slice(-4)).toEqual(['--subscription', SUBSCRIPTION, '--output', 'tsv']);
    }
    expect(calls.map((call) => call[call.indexOf('--namespace') + 1])).toEqual([...REQUIRED_RESOURCE_PROVIDERS, 'Microsoft.Compute']);
  });

  it('names each unregistered provider and the EncryptionAtHost feature with the command that fixes it', async () => {
    const { az } = fakeAz({ 'Microsoft.ContainerService': 'NotRegistered', 'Microsoft.Compute/EncryptionAtHost': 'Pending' });
    const problems = await azurePreflight(SUBSCRIPTION, az);
    expect(problems).toEqual([
      {
        prerequisite: 'resource provider Microsoft.ContainerService registered',
        found: 'NotRegistered',
        fix: `az provider register --namespace Microsoft.ContainerService --subscription ${SUBSCRIPTION} --wait`,
      },
      {
        prerequisite: 'feature Microsoft.Compute/EncryptionAtHost registered',
        found: 'Pending',
        fix: `az feature register --namespace Microsoft.Compute --name EncryptionAtHost --subscription ${SUBSCRIPTION} && az provider register --namespace Microsoft.Compute --subscription ${SUBSCRIPTION}`,
      },
    ]);
    expect(describePreflight(problems)).toContain('missing: feature Microsoft.Compute/EncryptionAtHost registered (found: Pending)');
  });

  it('fails closed when az cannot answer (not logged in, no access)', async () => {
    const { az } = fakeAz({ 'Microsoft.KeyVault': { exitCode: 1, stdout: '', stderr: "ERROR: Please run 'az login' to setup account." } });
    const problems = await azurePreflight(SUBSCRIPTION, az);
    expect(problems).toEqual([expect.objectContaining({ prerequisite: 'resource provider Microsoft.KeyVault registered', found: "ERROR: Please run 'az login' to setup account." })]);
  });
});
