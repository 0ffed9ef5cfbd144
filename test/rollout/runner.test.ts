import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTerraformRunner, runProcess } from '../../lib/rollout/runner';

describe('runProcess', () => {
  it('collects output and hands every chunk to each sink as it arrives', async () => {
    const seen: string[] = [];
    const other: string[] = [];
    const result = await runProcess(process.execPath, ['-e', 'process.stdout.write("out"); process.stderr.write("err"); process.exit(3)'], process.env, [
      (chunk, stream) => seen.push(`${stream}:${chunk}`),
      undefined,
      (chunk) => other.push(chunk),
    ]);
    expect(result).toEqual({ exitCode: 3, stdout: 'out', stderr: 'err' });
    expect(seen.sort()).toEqual(['stderr:err', 'stdout:out']);
    expect(other.sort()).toEqual(['err', 'out']);
  });

  it('reports a missing binary as exit 127 instead of throwing', async () => {
    const result = await runProcess('no-such-binary-here', [], process.env);
    expect(result.exitCode).toBe(127);
    expect(result.stderr).toContain('binary "no-such-binary-here" not found on PATH');
  });
});

describe('createTerraformRunner', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'rollout-runner-'));
    // A stand-in terraform that echoes its arguments and the automation variables.
    writeFileSync(path.join(dir, 'terraform'), '#!/bin/sh\necho "$@"\necho "TF_IN_AUTOMATION=$TF_IN_AUTOMATION TF_INPUT=$TF_INPUT" >&2\n', { mode: 0o755 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs terraform with -chdir, no prompts and no colour, and gives the call its own output sink', async () => {
    const runner = createTerraformRunner({ binary: path.join(dir, 'terraform'), env: { PATH: process.env.PATH ?? '' } });
    const chunks: string[] = [];
    const result = await runner.run('/synth/stacks/dev-platform', 'plan', ['-out=p.tfplan'], (chunk) => chunks.push(chunk));
    expect(result).toEqual({
      exitCode: 0,
      stdout: '-chdir=/synth/stacks/dev-platform plan -input=false -no-color -out=p.tfplan\n',
      stderr: 'TF_IN_AUTOMATION=1 TF_INPUT=0\n',
    });
    // Everything terraform printed reached the sink (chunk boundaries are the OS's business).
    expect(chunks.join('').length).toBe(result.stdout.length + result.stderr.length);
  });
});
