import { execFileSync } from 'child_process';
import { existsSync, mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { buildEnvironment } from '../../apps/build';
import { loadEnvironment } from '../../lib/config/load';
import { REPO_ROOT, synthExample, treeContents as tree } from '../helpers';
import { AZURE_EXAMPLE, CORE42_EXAMPLE } from './helpers';


function synth(file: string): Record<string, string> {
  const outdir = mkdtempSync(join(tmpdir(), 'azure-example-'));
  buildEnvironment(loadEnvironment(file), outdir).app.synth();
  return tree(outdir);
}

/** The example's output as the run's setup synthesized it (test/example-cache.ts), another synth than `synth`'s. */
const synthesized = (file: string): Record<string, string> => tree(synthExample(file).outdir);

/** Shapes of credentials that must never be in synthesized JSON. */
const SECRET_PATTERNS = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /AccountKey=/i,
  /SharedAccessSignature|[?&]sig=/i,
  /"client_secret"\s*:/,
  /"client_certificate(_password)?"\s*:/,
  /"(admin_)?password"\s*:/,
  /"ssh_key"\s*:/,
  /kube_admin_config/,
  /"primary_access_key"|"secondary_access_key"|"admin_password"/,
];

describe.each([
  ['gcc-uae-azure', AZURE_EXAMPLE, 'uae-prod-azure'],
  ['core42-uae-azure', CORE42_EXAMPLE, 'core42-prod'],
])('example %s', (_label, file, environment) => {
  const first = synthesized(file);
  const stacksOf = (files: Record<string, string>) =>
    Object.keys(files)
      .filter((path) => path.endsWith('cdk.tf.json'))
      .map((path) => path.split('/')[1])
      .sort();

  it('synthesizes the state, platform, addons, workloads and tenant stacks', () => {
    expect(stacksOf(first)).toEqual(expect.arrayContaining([`${environment}-state`, `${environment}-platform`, `${environment}-addons`, `${environment}-workloads`]));
    expect(stacksOf(first).filter((name) => name.includes('-tenant-'))).toHaveLength(2);
  });

  it('is deterministic: a second synth is byte-identical', () => {
    expect(synth(file)).toEqual(first);
  });

  it('contains no secret values', () => {
    for (const [path, content] of Object.entries(first)) {
      for (const pattern of SECRET_PATTERNS) {
        expect({ path, match: pattern.exec(content)?.[0] }).toEqual({ path, match: undefined });
      }
    }
  });

  it('keeps every Azure resource in the environment region', () => {
    const region = loadEnvironment(file).region;
    for (const [path, content] of Object.entries(first)) {
      if (!path.endsWith('cdk.tf.json')) continue;
      const json = JSON.parse(content);
      for (const [type, resources] of Object.entries<any>(json.resource ?? {})) {
        for (const [name, value] of Object.entries<any>(resources)) {
          if ('location' in value && typeof value.location === 'string' && !value.location.includes('${')) {
            expect({ type, name, location: value.location }).toEqual({ type, name, location: region });
          }
        }
      }
    }
  });
});

describe('synth entry point', () => {
  const dist = join(REPO_ROOT, 'dist/apps/main.js');
  (existsSync(dist) ? it : it.skip)('writes the state and platform stacks of the Azure example into CDKTF_OUTDIR', () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'azure-main-')), 'out');
    try {
      execFileSync(process.execPath, [dist], { cwd: REPO_ROOT, env: { ...process.env, ENV_FILE: 'examples/gcc-uae-azure.yaml', CDKTF_OUTDIR: outdir }, stdio: 'pipe' });
    } catch (error) {
      // Exit 3 is a policy-gate verdict (the synthesized stacks stay in place); anything else is a failure.
      expect((error as { status?: number }).status).toBe(3);
    }
    expect(existsSync(join(outdir, 'stacks/uae-prod-azure-state/cdk.tf.json'))).toBe(true);
    expect(existsSync(join(outdir, 'stacks/uae-prod-azure-platform/cdk.tf.json'))).toBe(true);
  });
});
