import { readFileSync } from 'fs';
import { join } from 'path';
import { Construct, IConstruct } from 'constructs';
import { App, Aspects, IAspect, TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { PreparedStack } from '../../stacks/prepared-stack';

/** Tags every parameter (as lib/tenancy/cloud-tags.ts tags a tenant's resources): an Aspect applied at synth. */
class OwnerTag implements IAspect {
  visit(node: IConstruct): void {
    if (node instanceof SsmParameter) {
      node.tags = { ...(node.tagsInput ?? {}), owner: 'platform' };
    }
  }
}

/**
 * Two stacks, the second reading the first (a cross-stack reference, registered while preparing), with
 * an Aspect on the second; `Stack` is the class both stacks are made of.
 */
function synthesizeWith(Stack: new (scope: Construct, id: string) => TerraformStack): Record<string, unknown> {
  const app = new App({ outdir: Testing.app().outdir, stackTraces: false });
  const shared = new Stack(app, 'shared');
  new AwsProvider(shared, 'aws', { region: 'me-central-1' });
  const source = new SsmParameter(shared, 'source', { name: '/shared/endpoint', type: 'String', value: 'https://example.internal' });
  const reader = new Stack(app, 'reader');
  new AwsProvider(reader, 'aws', { region: 'me-central-1' });
  new SsmParameter(reader, 'copy', { name: '/reader/endpoint', type: 'String', value: source.value });
  new TerraformOutput(reader, 'endpoint', { value: source.arn });
  Aspects.of(reader).add(new OwnerTag());
  app.synth();
  return Object.fromEntries(['shared', 'reader'].map((name) => [name, JSON.parse(readFileSync(join(app.outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'))]));
}

class PlainStack extends TerraformStack {}
class Prepared extends PreparedStack {}

describe('PreparedStack (stacks/prepared-stack.ts)', () => {
  it('synthesizes exactly what cdktf does: cross-stack outputs and remote state, Aspects applied', () => {
    const prepared = synthesizeWith(Prepared);
    expect(prepared).toEqual(synthesizeWith(PlainStack));
    const shared = prepared.shared as any;
    const reader = prepared.reader as any;
    // The output the reader's reference added to the shared stack after it was prepared.
    expect(Object.keys(shared.output)).toHaveLength(2);
    expect(reader.data.terraform_remote_state).toBeDefined();
    expect(reader.resource.aws_ssm_parameter.copy.tags).toEqual({ owner: 'platform' });
    expect(reader.resource.aws_ssm_parameter.copy.value).toMatch(/^\$\{data\.terraform_remote_state\./);
  });

  it('hands a kept fragment out once: a change between preparing and synthesizing is not seen (nothing here makes one), a later conversion sees it', () => {
    const app = new App({ outdir: Testing.app().outdir });
    const stack = new Prepared(app, 'once');
    new AwsProvider(stack, 'aws', { region: 'me-central-1' });
    const parameter = new SsmParameter(stack, 'p', { name: '/p', type: 'String', value: 'before' });
    stack.prepareStack();
    parameter.value = 'after';
    expect(stack.toTerraform().resource.aws_ssm_parameter.p.value).toBe('before');
    expect(stack.toTerraform().resource.aws_ssm_parameter.p.value).toBe('after');
  });
});
