import { join } from 'path';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { EXIT_SECRETS_MISSING, runSecretsCli } from '../../lib/secrets/cli';
import { RunResult } from '../../lib/rollout/runner';
import { REPO_ROOT } from '../helpers';

const AWS = join(REPO_ROOT, 'examples/gcc-uae-aws.yaml');
const AZURE = join(REPO_ROOT, 'examples/gcc-uae-azure.yaml');

/** Runs the CLI with a scripted cloud CLI; returns exit code, output and the commands it ran. */
async function run(argv: string[], answer: (binary: string, args: readonly string[]) => RunResult) {
  const out: string[] = [];
  const err: string[] = [];
  const calls: string[][] = [];
  const code = await runSecretsCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, async (binary, args) => {
    calls.push([binary, ...args]);
    return answer(binary, args);
  }, AWS);
  return { code, out: out.join('\n'), err: err.join('\n'), calls };
}

const ok = (stdout = ''): RunResult => ({ exitCode: 0, stdout, stderr: '' });
const notFound: RunResult = { exitCode: 254, stdout: '', stderr: 'An error occurred (ResourceNotFoundException) when calling the DescribeSecret operation: Secrets Manager can\'t find the specified secret.' };

test('without --check it lists every entry with its source and readers, and asks no cloud', async () => {
  const result = await run([], () => ok());
  expect(result.code).toBe(0);
  expect(result.calls).toEqual([]);
  expect(result.out).toContain('rag/uae-prod-aws/langfuse/encryption-key  generated in-cluster');
  expect(result.out).toMatch(/rag\/uae-prod-aws\/litellm\/azure-openai-api-key {2}EXTERNAL: .*read by llm-gateway\/litellm-provider-env/);
});

test('--check on AWS asks only for metadata of the external entries and names the missing one (exit 4)', async () => {
  const result = await run(['--check'], (_binary, args) => (args.includes('rag/uae-prod-aws/litellm/azure-openai-api-key') ? notFound : ok('name')));
  expect(result.code).toBe(EXIT_SECRETS_MISSING);
  expect(result.calls.every((call) => call[0] === 'aws' && call[1] === 'secretsmanager' && call[2] === 'describe-secret')).toBe(true);
  // Generated entries are never looked up: the platform creates them.
  expect(result.calls.some((call) => call.includes('rag/uae-prod-aws/langfuse/salt'))).toBe(false);
  expect(result.out).toContain('MISSING  rag/uae-prod-aws/litellm/azure-openai-api-key');
  expect(result.err).toContain('1 external secret(s) missing in Secrets Manager (me-central-1)');
});

test('--check exits 0 when every external entry exists', async () => {
  expect((await run(['--check'], () => ok('name'))).code).toBe(0);
});

test('a store that cannot be asked is an error, never "all present" (exit 1)', async () => {
  const result = await run(['--check'], () => ({ exitCode: 253, stdout: '', stderr: 'Unable to locate credentials.' }));
  expect(result.code).toBe(1);
  expect(result.err).toContain('could not check the secret store: aws secretsmanager describe-secret');
  expect(result.err).toContain('Unable to locate credentials.');
});

test('--check on Azure lists secret names once (no values) in the secrets vault', async () => {
  const result = await run(['--check', '--json', '--env-file', AZURE], () => ok(JSON.stringify(['rag-uae-prod-azure-litellm-azure-openai-api-key', 'rag-uae-prod-azure-langfuse-salt'])));
  expect(result.calls).toEqual([['az', 'keyvault', 'secret', 'list', '--vault-name', 'uae-prod-azure-sec', '--subscription', expect.any(String), '--query', '[].name', '--output', 'json']]);
  const report = JSON.parse(result.out);
  expect(report.present).toEqual(['rag-uae-prod-azure-litellm-azure-openai-api-key']);
  // The Azure example's Bedrock fallback is reached with an IAM user's key from outside AWS.
  expect(report.missing).toEqual(['rag-uae-prod-azure-litellm-bedrock-access-key-id', 'rag-uae-prod-azure-litellm-bedrock-secret-access-key']);
  expect(result.code).toBe(EXIT_SECRETS_MISSING);
});

test('bad arguments and invalid environment files exit 2 with the reason', async () => {
  const bad = await run(['--chek'], () => ok());
  expect(bad.code).toBe(2);
  expect(bad.err).toContain('unknown argument --chek (allowed: --env-file <file>, --check, --json)');
  const dir = mkdtempSync(join(tmpdir(), 'secrets-cli-'));
  writeFileSync(join(dir, 'env.yaml'), 'name: x\ncloud: gcp\n');
  const invalid = await run(['--env-file', join(dir, 'env.yaml')], () => ok());
  expect(invalid.code).toBe(2);
  expect(invalid.err).toContain('cloud: is not an allowed value (allowed: aws, azure)');
});
