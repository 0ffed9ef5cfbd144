import { workloadKeyVaultName } from '../../lib/azure/names';

describe('workloadKeyVaultName: a global Key Vault name per workload identity', () => {
  const VALID = /^[a-z][a-z0-9-]{1,22}[a-z0-9]$/;

  test('fits Key Vault rules for the longest environment (20) and tenant id (30) the schema allows', () => {
    const name = workloadKeyVaultName('a'.repeat(20), `tenant-${'b'.repeat(30)}`);
    expect(name).toMatch(VALID);
    expect(name.length).toBeLessThanOrEqual(24);
  });

  test('no trailing or doubled hyphen where the id is cut or repeats hyphens', () => {
    for (const id of ['tenant-abcdefgh-ijklmnop', 'tenant--a--b', 'tenant-abcdefg-xyz']) {
      const name = workloadKeyVaultName('uae-prod-azure', id);
      expect(name).toMatch(VALID);
      expect(name).not.toMatch(/--/);
    }
  });

  test('stable for the same input, distinct across environments and tenants with the same prefix', () => {
    expect(workloadKeyVaultName('uae-prod-azure', 'tenant-ministry-health')).toBe(workloadKeyVaultName('uae-prod-azure', 'tenant-ministry-health'));
    const names = [
      workloadKeyVaultName('uae-prod-azure', 'tenant-ministry-health'),
      workloadKeyVaultName('uae-prod-azure', 'tenant-ministry-housing'),
      workloadKeyVaultName('core42-prod', 'tenant-ministry-health'),
    ];
    expect(new Set(names).size).toBe(3);
    expect(names[0]).toMatch(/^tenant-ministry-[0-9a-f]{8}$/);
  });
});
