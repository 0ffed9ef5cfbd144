import { createHash } from 'crypto';
import { CapacityDifference, compareWithEnvironment, environmentCapacityInput } from '../capacity/environment';
import { CapacityPlan, planCapacity } from '../capacity/plan';
import { EnvironmentConfig } from '../config/schema';
import { POLICY_RULES } from '../policy/rules';
import { PolicyReport } from '../policy/types';
import { TERRAFORM_PROVIDER_VERSIONS } from '../versions';
import { cloudDataStores, DataStore, stateStores } from './data-stores';
import { AgreementEvidence, agreementsOf, ModelEvidence, modelsOf } from './models';
import { StackSet } from './stacks';
import { inClusterVolumes } from './volumes';

export interface RuleEvidence {
  readonly id: string;
  readonly concern: string;
  readonly severity: string;
  readonly summary: string;
  /** `pass` (no finding), `denied` (findings block the rollout) or `excepted` (only accepted findings). */
  readonly result: 'pass' | 'denied' | 'excepted';
  readonly denied: number;
  readonly excepted: number;
}

export interface ExceptionEvidence {
  readonly rule: string;
  /** `<stack>/<resource address>`: an exception applies to one stack only. */
  readonly scope: string;
  readonly reason: string;
  /** Last day it applies (YYYY-MM-DD), or null: it lasts until removed from the environment file. */
  readonly expiry: string | null;
  /** Findings it covered in this synth (0: stale or expired; the gate report says which). */
  readonly matched: number;
}

export interface NetworkEvidence {
  readonly stack: string;
  readonly address: string;
  readonly cidr: string;
}

export interface SovereigntyReport {
  readonly version: 1;
  readonly environment: string;
  readonly cloud: string;
  readonly region: string;
  readonly profile: string;
  readonly networks: NetworkEvidence[];
  readonly dataStores: DataStore[];
  readonly models: ModelEvidence[];
  readonly agreements: AgreementEvidence[];
  readonly exceptions: ExceptionEvidence[];
  readonly rules: RuleEvidence[];
  readonly policyPassed: boolean;
  readonly capacity: { readonly plan: CapacityPlan; readonly differences: CapacityDifference[] } | null;
  readonly provenance: {
    readonly environmentFile: string;
    readonly environmentFileSha256: string;
    /** Only when the caller passes it (SOURCE_COMMIT / --git-commit): synth reads no git state. */
    readonly gitCommit: string | null;
    readonly tools: Readonly<Record<string, string>>;
    readonly kubernetes: string | null;
    readonly charts: ReadonlyArray<{ readonly stack: string; readonly release: string; readonly namespace: string; readonly chart: string; readonly version: string }>;
  };
}

export interface EvidenceInput {
  readonly stacks: StackSet;
  readonly config: EnvironmentConfig;
  readonly policy: PolicyReport;
  /** The environment file as given on the command line, and its bytes. */
  readonly environmentFile: string;
  readonly environmentFileContent: Buffer | string;
  readonly gitCommit?: string;
}

function rulesOf(policy: PolicyReport): RuleEvidence[] {
  return Object.keys(POLICY_RULES)
    .sort()
    .map((id) => {
      const denied = policy.denies.filter((finding) => finding.rule === id).length;
      const excepted = policy.excepted.filter((finding) => finding.rule === id).length;
      return { id, ...POLICY_RULES[id], result: denied > 0 ? 'denied' : excepted > 0 ? 'excepted' : 'pass', denied, excepted };
    });
}

/** The gate's own account of every exception (scoped by stack, with expiry and what it covered). */
function exceptionsOf(policy: PolicyReport): ExceptionEvidence[] {
  return policy.exceptions.map((exception) => ({
    rule: exception.rule,
    scope: `${exception.stack}/${exception.resource}`,
    reason: exception.reason,
    expiry: exception.expires ?? null,
    matched: exception.covered,
  }));
}

function networksOf(set: StackSet): NetworkEvidence[] {
  return [
    ...set.resources('aws_vpc').map((vpc) => ({ stack: vpc.stack, address: `aws_vpc.${vpc.name}`, cidr: String(vpc.body.cidr_block) })),
    ...set.resources('azurerm_virtual_network').map((vnet) => ({ stack: vnet.stack, address: `azurerm_virtual_network.${vnet.name}`, cidr: [].concat(vnet.body.address_space ?? []).join(', ') })),
  ];
}

function provenanceOf(input: EvidenceInput): SovereigntyReport['provenance'] {
  const { stacks } = input;
  const cluster = stacks.resources('aws_eks_cluster')[0] ?? stacks.resources('azurerm_kubernetes_cluster')[0];
  return {
    environmentFile: input.environmentFile,
    environmentFileSha256: createHash('sha256').update(input.environmentFileContent).digest('hex'),
    gitCommit: input.gitCommit ?? null,
    tools: {
      cdktf: require('cdktf/package.json').version,
      '@cdktf/provider-aws': require('@cdktf/provider-aws/package.json').version,
      '@cdktf/provider-azurerm': require('@cdktf/provider-azurerm/package.json').version,
      '@cdktf/provider-kubernetes': require('@cdktf/provider-kubernetes/package.json').version,
      '@cdktf/provider-helm': require('@cdktf/provider-helm/package.json').version,
      ...Object.fromEntries(Object.entries(TERRAFORM_PROVIDER_VERSIONS).map(([name, version]) => [`terraform-provider-${name}`, version])),
    },
    kubernetes: cluster ? String(cluster.body.version ?? cluster.body.kubernetes_version ?? null) : null,
    charts: stacks.resources('helm_release').map((release) => ({
      stack: release.stack,
      release: release.body.name,
      namespace: release.body.namespace,
      chart: release.body.chart,
      version: release.body.version,
    })),
  };
}

/**
 * The sovereignty evidence pack: what an auditor needs from the synthesized configuration alone.
 * Pure: the same stacks, environment and policy report give the same document.
 */
export function buildEvidencePack(input: EvidenceInput): SovereigntyReport {
  const { config, policy, stacks } = input;
  const capacityInput = environmentCapacityInput(config);
  const plan = capacityInput ? planCapacity(capacityInput) : undefined;
  return {
    version: 1,
    environment: config.name,
    cloud: config.cloud,
    region: config.region,
    profile: config.sovereignty.profile,
    networks: networksOf(stacks),
    dataStores: [...cloudDataStores(stacks), ...inClusterVolumes(stacks), ...stateStores(stacks)],
    models: modelsOf(config),
    agreements: agreementsOf(config),
    exceptions: exceptionsOf(policy),
    rules: rulesOf(policy),
    policyPassed: policy.passed,
    capacity: plan ? { plan, differences: compareWithEnvironment(config, plan) } : null,
    provenance: provenanceOf(input),
  };
}
