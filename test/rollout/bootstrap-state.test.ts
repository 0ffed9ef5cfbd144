import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { App, Testing } from 'cdktf';
import { StateStack } from '../../stacks/state-stack';
import { awsExampleInput, configFrom, problemLines, REPO_ROOT } from '../helpers';

const AZURE_EXAMPLE = join(REPO_ROOT, 'examples/gcc-uae-azure.yaml');

/** The state stack's backend block for an environment file's content, synthesized alone. */
function stateBackend(input: Record<string, any>): Record<string, any> {
  const config = configFrom(input);
  const stack = new StateStack(Testing.app() as App, config);
  return JSON.parse(Testing.synth(stack)).terraform.backend;
}

describe('state stack backend (bootstrap state that survives a synth)', () => {
  it('starts with a local state beside the synth directory, relative to the stack directory', () => {
    // <synth-dir>/stacks/<stack>/../../../state/<env>/ = <synth-dir>/../state/<env>/
    expect(stateBackend(awsExampleInput())).toEqual({ local: { path: '../../../state/uae-prod-aws/uae-prod-aws-state.tfstate' } });
  });

  it('uses its own key in its own bucket once migrated (AWS)', () => {
    const input = awsExampleInput();
    input.state = { backend: 's3', bootstrapMigrated: true };
    const backend = stateBackend(input);
    expect(backend.local).toBeUndefined();
    expect(backend.s3).toMatchObject({
      bucket: 'uae-prod-aws-tfstate-111122223333',
      key: 'uae-prod-aws/uae-prod-aws-state.tfstate',
      region: 'me-central-1',
      encrypt: true,
      use_lockfile: true,
    });
  });

  it('uses its own key in its own container once migrated (Azure)', () => {
    const input = parse(readFileSync(AZURE_EXAMPLE, 'utf8'));
    expect(stateBackend(input).local.path).toBe(`../../../state/${input.name}/${input.name}-state.tfstate`);
    input.state = { backend: 'azurerm', bootstrapMigrated: true };
    expect(stateBackend(input).azurerm).toMatchObject({ container_name: 'tfstate', key: `${input.name}/${input.name}-state.tfstate`, use_azuread_auth: true });
  });

  it('refuses a non-boolean flag, naming the field', () => {
    const input = awsExampleInput();
    input.state = { backend: 's3', bootstrapMigrated: 'yes' };
    expect(problemLines(input).join('\n')).toMatch(/state\.bootstrapMigrated/);
  });
});
