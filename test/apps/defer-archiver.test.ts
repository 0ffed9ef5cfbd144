import { execFileSync } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';
import { REPO_ROOT } from '../helpers';

/**
 * Runs `script` in a fresh node process (jest's module registry is not node's, so the stand-in cannot be
 * observed in-process), with the TypeScript sources compiled on require as sharded-synth's worker does.
 */
function runNode(script: string): string {
  const hook = `
    const fs = require('fs');
    const ts = require('typescript');
    require.extensions['.ts'] = (module, file) => {
      const options = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true };
      module._compile(ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions: options, fileName: file }).outputText, file);
    };`;
  return execFileSync(process.execPath, ['-e', `${hook}\n${script}`], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
}

const DEFER = JSON.stringify(join(REPO_ROOT, 'apps', 'defer-archiver.ts'));
const loadedArchiver = `Object.keys(require.cache).some((file) => file.includes('/archiver/lib/'))`;

describe('archiver loaded on first use (apps/defer-archiver.ts)', () => {
  it('keeps cdktf from loading archiver at start-up, and hands out the real archiver when a zip is asked for', () => {
    const output = runNode(`
      require(${DEFER});
      require('cdktf');
      const before = ${loadedArchiver};
      const archive = require(require.resolve('archiver', { paths: [require('path').dirname(require.resolve('cdktf'))] }))('zip');
      console.log(JSON.stringify({ before, after: ${loadedArchiver}, zip: typeof archive.pipe === 'function' && typeof archive.finalize === 'function' }));
    `);
    expect(JSON.parse(output)).toEqual({ before: false, after: true, zip: true });
  });

  it('changes nothing once cdktf is loaded', () => {
    const output = runNode(`require('cdktf'); require(${DEFER}); console.log(${loadedArchiver});`);
    expect(output).toBe('true');
  });

  it('is imported before anything else by the commands that synthesize', () => {
    for (const entry of ['main.ts', 'synth.ts', 'synth-worker.ts']) {
      const firstImport = readFileSync(join(REPO_ROOT, 'apps', entry), 'utf8').match(/^import .*$/m)?.[0];
      expect(`${entry}: ${firstImport}`).toBe(`${entry}: import './defer-archiver';`);
    }
  });
});
