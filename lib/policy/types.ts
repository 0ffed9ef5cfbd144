/**
 * The data contract between the TypeScript gate and the Rego policies in `policies/`.
 * The gate passes `{ environment, stack }` as OPA data; conftest gets the same document with `--data`
 * (`cdktf.out/policy-data/<stack>.json`).
 */

export type CloudName = 'aws' | 'azure';

export type StackKind = 'state' | 'platform' | 'addons' | 'workloads' | 'tenant';

/** An accepted deviation: a finding with this rule id on this resource address is reported, not denied. */
export interface PolicyException {
  /** Rule id, e.g. `sovereignty.storage_replication`. */
  readonly rule: string;
  /** Terraform address of the resource, e.g. `aws_s3_bucket.backups` (stack-level findings: `stack.<name>`). */
  readonly resource: string;
  /** The stack it applies to (tenant stacks share addresses: an exception for one never covers another). */
  readonly stack: string;
  /** Why the deviation is accepted (see exception-reason.ts: no placeholders); shown in every report. */
  readonly reason: string;
  /** Last day (YYYY-MM-DD) it applies; it needs `today` in the environment data to apply at all. */
  readonly expires?: string;
}

/** What became of one exception in a gate run. */
export type ExceptionStatus = 'applied' | 'unused' | 'expired';

/** An exception as every report lists it: with its scope and what became of it. */
export interface ExceptionOutcome extends PolicyException {
  readonly status: ExceptionStatus;
  /** Findings it covered. */
  readonly covered: number;
}

/** `data.environment`. */
export interface PolicyEnvironment {
  readonly name: string;
  readonly cloud: CloudName;
  /** The regions of the environment's sovereignty profile (with declared agreements applied). */
  readonly permittedRegions: { readonly aws: readonly string[]; readonly azure: readonly string[] };
  /** Image mirror prefix; every image must be `<imageMirror>/...`. */
  readonly imageMirror: string;
  /** Chart mirror (Helm repository URL or OCI prefix); charts come from it or from localChartsDir. */
  readonly chartMirror: string;
  /** Directory of our own packaged charts (e.g. `charts`). */
  readonly localChartsDir: string;
  /** Tag keys every taggable AWS/Azure resource must carry. */
  readonly requiredTags: readonly string[];
  /** A declared data-processing agreement allows LLM calls outside the permitted regions. */
  readonly llmCrossRegionAgreement: boolean;
  /**
   * The only networks the environment's network may be peered with: the landing zone's hub and vended
   * spoke VNet ids (Azure; empty on AWS, where the hub is reached through a transit gateway we do not create).
   */
  readonly peerNetworks: readonly string[];
  readonly exceptions: readonly PolicyException[];
  /**
   * The date (YYYY-MM-DD) expiring exceptions are judged against, given by the CLI (never read from the
   * clock during synthesis). Present only when an exception has `expires`, so output stays deterministic.
   */
  readonly today?: string;
}

/** `data.stack`. */
export interface PolicyStack {
  readonly name: string;
  readonly kind: StackKind;
  readonly tenantId?: string;
}

/** The OPA data document for one stack. */
export interface PolicyData {
  readonly environment: PolicyEnvironment;
  readonly stack: PolicyStack;
}

export type Severity = 'critical' | 'high' | 'medium' | 'low';

/** One finding as the policies return it. */
export interface RawFinding {
  readonly rule: string;
  readonly severity: Severity;
  /** Terraform address (`type.name`, or `provider.aws`, `terraform.backend.s3`, `stack.<name>`). */
  readonly address: string;
  /** cdktf construct path (from `"//".metadata.path`); empty for plan input. */
  readonly construct_path: string;
  readonly message: string;
  readonly fix: string;
  /** One-line form (what conftest prints). */
  readonly msg: string;
  /** Set on excepted findings: the reason of the exception that covers it. */
  readonly exception_reason?: string;
}

/** A finding with the stack it was found in. */
export interface PolicyFinding extends RawFinding {
  readonly stack: string;
}

/** What the policies answer for one input document. */
export interface StackEvaluation {
  readonly denies: RawFinding[];
  readonly excepted: RawFinding[];
}

export interface StackResult {
  readonly name: string;
  readonly kind: StackKind;
  readonly tenantId?: string;
  readonly file: string;
  readonly denies: number;
  readonly excepted: number;
}

export interface PolicyReport {
  /** Report format version. */
  readonly version: 1;
  readonly environment: string;
  readonly cloud: CloudName;
  /** True when no finding is denied. */
  readonly passed: boolean;
  readonly stacks: StackResult[];
  /** Findings that block the rollout, sorted by stack, rule, address, message. */
  readonly denies: PolicyFinding[];
  /** Findings covered by an exception (with `exception_reason`), sorted like denies. */
  readonly excepted: PolicyFinding[];
  /** Exceptions that matched no finding in any stack (stale; worth removing). */
  readonly unusedExceptions: PolicyException[];
  /** Every exception of the environment with its scope, expiry and status. */
  readonly exceptions: ExceptionOutcome[];
}

export interface StackRef {
  readonly name: string;
  readonly kind: StackKind;
  readonly tenantId?: string;
}

/** One stack's verdict, with the document it was judged on. */
export interface JudgedStack {
  readonly stack: StackRef;
  /** Where the document came from, for the report (relative to the report directory). */
  readonly file: string;
  readonly result: StackEvaluation;
}

export interface RunPolicyGateOptions {
  /** The cdktf output directory (contains `stacks/<name>/cdk.tf.json`); reports are written here. */
  readonly outdir: string;
  readonly environment: PolicyEnvironment;
  readonly stacks: ReadonlyArray<StackRef>;
  /** Override the compiled policy (default: lib/policy/bundle/policy.wasm). */
  readonly wasmPath?: string;
  /** Write policy-report.{json,md,sarif} into outdir (default true). */
  readonly writeReports?: boolean;
  /** Stacks already judged (by the synth's worker threads): not evaluated again. */
  readonly judged?: ReadonlyArray<JudgedStack>;
}
