import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { App, TerraformStack, Testing } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { CronJobV1, DeploymentV1, IngressV1, JobV1, MAP_ATTRIBUTES, NetworkPolicyV1, snakeCaseAttribute } from '../../lib/kubernetes/resources';
import { exampleFiles } from '../example-cache';
import { SynthesizedStacks, synthExample } from '../helpers';

/** The provider package's generated modules the slim classes stand in for. */
const PROVIDER_MODULES = ['job-v1', 'cron-job-v1', 'deployment-v1', 'network-policy-v1', 'ingress-v1'] as const;
const PROVIDER_LIB = join(require.resolve('@cdktf/provider-kubernetes/package.json'), '..', 'lib');

/** Every `snake_name: convert(struct.camelName)` of a module's generated JSON converters. */
function generatedAttributeNames(module: string): Array<{ snake: string; camel: string; map: boolean }> {
  const dir = join(PROVIDER_LIB, module);
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.js'))
    .map((file) => join(dir, file));
  const pairs = new Map<string, { snake: string; camel: string; map: boolean }>();
  for (const file of files) {
    for (const match of readFileSync(file, 'utf8').matchAll(/^\s*([a-z0-9_]+): (.*)\((?:struct|this)\._?([A-Za-z0-9]+)\),$/gm)) {
      const [, snake, converter, camel] = match;
      // The HCL converters write `value: ...(struct.x)`; only the JSON ones name the attribute.
      if (converter.includes('Hcl')) continue;
      pairs.set(`${snake} ${camel}`, { snake, camel, map: converter.startsWith('cdktf.hashMapper(') });
    }
  }
  return [...pairs.values()];
}

/** Synthesizes `config` with the provider's generated classes in place of lib/kubernetes/resources. */
function synthWithProviderClasses(file: string): SynthesizedStacks {
  let result: SynthesizedStacks | undefined;
  jest.isolateModules(() => {
    jest.doMock('../../lib/kubernetes/resources', () => ({
      ...jest.requireActual('../../lib/kubernetes/resources'),
      JobV1: jest.requireActual('@cdktf/provider-kubernetes/lib/job-v1').JobV1,
      CronJobV1: jest.requireActual('@cdktf/provider-kubernetes/lib/cron-job-v1').CronJobV1,
      DeploymentV1: jest.requireActual('@cdktf/provider-kubernetes/lib/deployment-v1').DeploymentV1,
      NetworkPolicyV1: jest.requireActual('@cdktf/provider-kubernetes/lib/network-policy-v1').NetworkPolicyV1,
      IngressV1: jest.requireActual('@cdktf/provider-kubernetes/lib/ingress-v1').IngressV1,
    }));
    const helpers = require('../helpers') as typeof import('../helpers');
    const load = require('../../lib/config/load') as typeof import('../../lib/config/load');
    result = helpers.synthEnvironment(load.loadEnvironment(file));
  });
  jest.dontMock('../../lib/kubernetes/resources');
  return result as SynthesizedStacks;
}

describe('Kubernetes resources without the generated classes (lib/kubernetes/resources.ts)', () => {
  it.each(PROVIDER_MODULES)('names every attribute of %s as the generated code does, and keeps its map attributes as written', (module) => {
    const names = generatedAttributeNames(module);
    expect(names.length).toBeGreaterThan(20);
    for (const { snake, camel } of names) {
      expect(`${camel} -> ${snakeCaseAttribute(camel)}`).toBe(`${camel} -> ${snake}`);
    }
    // A map attribute's keys are Kubernetes names: the slim conversion must know every one of them.
    const maps = [...new Set(names.filter((name) => name.map).map((name) => name.camel))].sort();
    expect(maps.filter((name) => !MAP_ATTRIBUTES.has(name))).toEqual([]);
    expect(names.filter((name) => !name.map && MAP_ATTRIBUTES.has(name.camel))).toEqual([]);
  });

  it('knows no map attribute that none of the resources has', () => {
    const maps = new Set(PROVIDER_MODULES.flatMap((module) => generatedAttributeNames(module).filter((name) => name.map).map((name) => name.camel)));
    expect([...maps].sort()).toEqual([...MAP_ATTRIBUTES].sort());
  });

  it.each(exampleFiles().map((file) => [file.split('/').pop() as string, file]))('%s: every stack is the same as with the provider\'s classes', (_name, file) => {
    const slim = synthExample(file);
    const generated = synthWithProviderClasses(file);
    const types = [JobV1, CronJobV1, DeploymentV1, NetworkPolicyV1, IngressV1].map((resource) => resource.tfResourceType);
    const workloads = Object.values(slim.stacks).flatMap((stack) => types.flatMap((type) => Object.keys(stack.resource?.[type] ?? {})));
    expect(workloads.length).toBeGreaterThan(5);
    expect(Object.keys(slim.stacks).sort()).toEqual(Object.keys(generated.stacks).sort());
    for (const name of Object.keys(slim.stacks)) {
      expect(slim.stacks[name]).toEqual(generated.stacks[name]);
    }
  });

  it('leaves out a nested single block whose fields are all unset, keeps an explicitly empty one, and writes list elements as given, as the generated classes do', () => {
    const config = {
      metadata: { name: 'edge', labels: { 'app.kubernetes.io/name': 'edge' }, annotations: {} },
      waitForCompletion: false,
      spec: {
        backoffLimit: 0,
        template: {
          metadata: { labels: undefined },
          spec: {
            restartPolicy: 'Never',
            securityContext: { runAsUser: undefined },
            dnsConfig: {},
            container: [{ name: 'c', image: 'i', securityContext: { runAsUser: undefined }, resources: { limits: { cpu: '1' } }, env: [] }],
            volume: [{ name: 'v', emptyDir: {} }],
          },
        },
      },
    };
    const synthesizeWith = (Resource: new (scope: TerraformStack, id: string, config: any) => unknown) => {
      const stack = new TerraformStack(Testing.app(), 'edge');
      new Resource(stack, 'job', config);
      return JSON.parse(Testing.synth(stack)).resource.kubernetes_job_v1.job;
    };
    const slim = synthesizeWith(JobV1);
    expect(slim).toEqual(synthesizeWith(jest.requireActual('@cdktf/provider-kubernetes/lib/job-v1').JobV1));
    expect(slim.spec.template.metadata).toBeUndefined();
    expect(slim.spec.template.spec.security_context).toBeUndefined();
    expect(slim.spec.template.spec.dns_config).toEqual({});
    expect(slim.spec.template.spec.container[0].security_context).toEqual({});
    expect(slim.spec.template.spec.container[0].resources).toEqual({ limits: { cpu: '1' } });
    expect(slim.wait_for_completion).toBe(false);
  });

  it('refuses HCL output with the resource it cannot write', () => {
    // cdktf reads the switch when a stack is created.
    process.env.SYNTH_HCL_OUTPUT = 'true';
    const app = new App({ hclOutput: true, outdir: Testing.app().outdir });
    const stack = new TerraformStack(app, 'hcl');
    delete process.env.SYNTH_HCL_OUTPUT;
    new KubernetesProvider(stack, 'kubernetes');
    new JobV1(stack, 'job', { metadata: { name: 'x' }, spec: { template: { metadata: {}, spec: { container: [{ name: 'c' }] } } } });
    expect(() => app.synth()).toThrow(/hcl\/job: kubernetes_job_v1 is synthesized as JSON only/);
  });
});
