import { TerraformResource, Tokenization } from 'cdktf';
import { Construct } from 'constructs';
import type { CronJobV1Config } from '@cdktf/provider-kubernetes/lib/cron-job-v1';
import type { DeploymentV1Config } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import type { IngressV1Config } from '@cdktf/provider-kubernetes/lib/ingress-v1';
import type { JobV1Config } from '@cdktf/provider-kubernetes/lib/job-v1';
import type { NetworkPolicyV1Config } from '@cdktf/provider-kubernetes/lib/network-policy-v1';

/**
 * `kubernetes_job_v1`, `kubernetes_cron_job_v1`, `kubernetes_deployment_v1`, `kubernetes_network_policy_v1`
 * and `kubernetes_ingress_v1`, with the provider package's own config types but without its generated
 * classes.
 *
 * Why: each of the first three generated modules is about 5 MB of JavaScript (a class and two converters
 * for every nested block of a pod template), 70% of all the code synth loaded; compiling them was a
 * quarter of the CPU of synthesizing the default example, and every worker thread of a large synth paid
 * it again (README, "Cost of the main job"); the other two are the next largest Kubernetes modules
 * (0.7 MB). What they do at synth time is small: rename every attribute from camelCase to the
 * provider's snake_case, keep map attributes (labels, selectors, resource quantities) as written, and
 * drop a nested block whose fields are all unset. `terraformAttributes` does exactly that;
 * test/kubernetes/resources.test.ts synthesizes every example with these classes and with the
 * provider's, requires the same output, and checks the naming rule against every attribute the five
 * resources have.
 *
 * What these classes do not offer: attribute references (`job.metadata.name`; reference the inputs
 * instead), `put*`/`reset*` mutators, and HCL output (`SYNTH_HCL_OUTPUT=true`), which throws.
 */

/** The provider version these resources are generated from (package @cdktf/provider-kubernetes 12.1.1). */
const GENERATOR_METADATA = { providerName: 'kubernetes', providerVersion: '2.38.0', providerVersionConstraint: '~> 2.0' };

/**
 * The attributes of the five resources whose values are maps (the generated code's `hashMapper`): their
 * keys are Kubernetes names (`app.kubernetes.io/name`, `cpu`) and are not renamed. No block of these
 * resources has one of these names.
 */
export const MAP_ATTRIBUTES: ReadonlySet<string> = new Set(['annotations', 'labels', 'matchLabels', 'nodeSelector', 'options', 'limits', 'requests', 'volumeAttributes']);

/** The resource arguments cdktf handles itself (TerraformResource.terraformMetaArguments). */
const META_ARGUMENTS: ReadonlySet<string> = new Set(['provider', 'dependsOn', 'count', 'lifecycle', 'provisioners', 'connection', 'forEach']);

/** `backoffLimit` -> `backoff_limit`: the generator's naming rule, inverted (it holds for every attribute of the five). */
export function snakeCaseAttribute(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Tokenization.isResolvable(value);
}

/**
 * The Terraform JSON of one block, as the generated converters write it. `singleBlock`: a block reached
 * from the resource through single blocks only (no list on the way); the generated code keeps those in
 * objects that report "no value" when every field is unset, so such a block with only unset fields is
 * left out, while an explicitly empty one (`{}`) stays. Blocks inside a list element are written as given.
 */
function blockToTerraform(block: Record<string, unknown>, singleBlock: boolean): Record<string, unknown> | undefined {
  const result: Record<string, unknown> = {};
  let fields = 0;
  for (const [name, value] of Object.entries(block)) {
    const converted = attributeToTerraform(name, value, singleBlock);
    if (converted !== undefined) {
      result[snakeCaseAttribute(name)] = converted;
      fields += 1;
    }
  }
  return singleBlock && fields === 0 && Object.keys(block).length > 0 ? undefined : result;
}

function attributeToTerraform(name: string, value: unknown, singleBlock: boolean): unknown {
  if (MAP_ATTRIBUTES.has(name) && isPlainObject(value)) {
    return { ...value };
  }
  if (Array.isArray(value)) {
    return value.map((element) => (isPlainObject(element) ? blockToTerraform(element, false) : element));
  }
  if (isPlainObject(value)) {
    return blockToTerraform(value, singleBlock);
  }
  return value;
}

/** A resource's attributes (everything but the meta-arguments) in Terraform JSON. */
function terraformAttributes(config: object): Record<string, unknown> {
  const attributes = Object.fromEntries(Object.entries(config).filter(([name]) => !META_ARGUMENTS.has(name)));
  return blockToTerraform(attributes, true) ?? {};
}

type ResourceConfig = JobV1Config | CronJobV1Config | DeploymentV1Config | NetworkPolicyV1Config | IngressV1Config;

/** The base of the five: the meta-arguments go to cdktf, the rest is converted at synth. */
abstract class SlimKubernetesResource extends TerraformResource {
  private readonly attributes: object;

  protected constructor(scope: Construct, id: string, terraformResourceType: string, config: ResourceConfig) {
    super(scope, id, {
      terraformResourceType,
      terraformGeneratorMetadata: GENERATOR_METADATA,
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
      connection: config.connection,
      forEach: config.forEach,
    });
    this.attributes = config;
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return terraformAttributes(this.attributes);
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    throw new Error(`${this.node.path}: ${this.terraformResourceType} is synthesized as JSON only (lib/kubernetes/resources.ts); HCL output is not supported`);
  }
}

/** The class of one resource type: `new JobV1(scope, id, config)` as with the provider's own. */
function slimResource<Config extends ResourceConfig>(terraformResourceType: string) {
  return class extends SlimKubernetesResource {
    static readonly tfResourceType = terraformResourceType;

    constructor(scope: Construct, id: string, config: Config) {
      super(scope, id, terraformResourceType, config);
    }
  };
}

export const JobV1 = slimResource<JobV1Config>('kubernetes_job_v1');
export type JobV1 = InstanceType<typeof JobV1>;
export const CronJobV1 = slimResource<CronJobV1Config>('kubernetes_cron_job_v1');
export type CronJobV1 = InstanceType<typeof CronJobV1>;
export const DeploymentV1 = slimResource<DeploymentV1Config>('kubernetes_deployment_v1');
export type DeploymentV1 = InstanceType<typeof DeploymentV1>;
export const NetworkPolicyV1 = slimResource<NetworkPolicyV1Config>('kubernetes_network_policy_v1');
export type NetworkPolicyV1 = InstanceType<typeof NetworkPolicyV1>;
export const IngressV1 = slimResource<IngressV1Config>('kubernetes_ingress_v1');
export type IngressV1 = InstanceType<typeof IngressV1>;
