import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';

/**
 * The synthesized configuration as the evidence pack reads it: every stack's cdk.tf.json, with the
 * means to follow a reference (`${type.name.attr}`, or a cdktf cross-stack reference through
 * `data.terraform_remote_state.<x>.outputs.<y>` to the other stack's output and on to its resource).
 * Everything is derived from the JSON, so the report follows whatever the stacks contain.
 */

export type Json = Record<string, any>;

export interface SynthesizedStack {
  readonly name: string;
  readonly doc: Json;
}

export interface ResourceRef {
  readonly stack: string;
  readonly type: string;
  readonly name: string;
}

export interface Resource extends ResourceRef {
  readonly body: Json;
}

export const addressOf = (ref: ResourceRef): string => `${ref.type}.${ref.name}`;

/** Reads `<outdir>/stacks/*\/cdk.tf.json`, sorted by stack name. */
export function readSynthesizedStacks(outdir: string): SynthesizedStack[] {
  const root = join(outdir, 'stacks');
  return readdirSync(root)
    .filter((name) => existsSync(join(root, name, 'cdk.tf.json')))
    .sort()
    .map((name) => ({ name, doc: JSON.parse(readFileSync(join(root, name, 'cdk.tf.json'), 'utf8')) }));
}

const REFERENCE = /\$\{([^}]+)\}/;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
/** cdktf writes single nested blocks as objects and repeated ones as arrays; read both the same way. */
export const first = (value: unknown): Json | undefined => (Array.isArray(value) ? value[0] : isObject(value) ? value : undefined);

export class StackSet {
  /** `resources(type)` by type: the pack asks for the same types many times, over every stack. */
  private readonly byType = new Map<string, readonly Resource[]>();

  constructor(readonly stacks: readonly SynthesizedStack[]) {}

  /** Every resource of `type` in every stack, in stack then name order. */
  resources(type: string): readonly Resource[] {
    let found = this.byType.get(type);
    if (found === undefined) {
      found = this.stacks.flatMap((stack) =>
        Object.entries((stack.doc.resource?.[type] ?? {}) as Json)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([name, body]) => ({ stack: stack.name, type, name, body })),
      );
      this.byType.set(type, found);
    }
    return found;
  }

  /** Resource types present in any stack, sorted. */
  resourceTypes(): string[] {
    return [...new Set(this.stacks.flatMap((stack) => Object.keys(stack.doc.resource ?? {})))].sort();
  }

  get(ref: ResourceRef): Resource | undefined {
    const body = this.stack(ref.stack)?.doc.resource?.[ref.type]?.[ref.name];
    return body === undefined ? undefined : { ...ref, body };
  }

  stack(name: string): SynthesizedStack | undefined {
    return this.stacks.find((stack) => stack.name === name);
  }

  /**
   * The resource an expression in `stack` points at, following cross-stack outputs. Undefined for a
   * literal or a reference to something that is not a resource (a variable, a data source).
   */
  resolve(stackName: string, expression: unknown, depth = 0): ResourceRef | undefined {
    if (typeof expression !== 'string' || depth > 4) return undefined;
    const match = REFERENCE.exec(expression);
    if (!match) return undefined;
    const parts = match[1].split('.');
    if (parts[0] === 'data' && parts[1] === 'terraform_remote_state' && parts[3] === 'outputs') {
      const source = this.remoteStateStack(stackName, parts[2]);
      const output = source?.doc.output?.[parts[4].replace(/\[.*$/, '')];
      return source && output ? this.resolve(source.name, output.value, depth + 1) : undefined;
    }
    if (parts[0] === 'data' && parts.length >= 3) {
      return this.readBack(stackName, parts[1], parts[2].replace(/\[.*$/, ''), depth);
    }
    if (parts[0] === 'data' || parts[0] === 'var' || parts[0] === 'local' || parts.length < 2) return undefined;
    const ref = { stack: stackName, type: parts[0], name: parts[1].replace(/\[.*$/, '') };
    return this.get(ref) ? ref : undefined;
  }

  /**
   * A data source that reads back a resource we define (e.g. the current version of a Key Vault key):
   * the resource of the same type its `name` references, or whose literal name and other settings match.
   */
  private readBack(stackName: string, type: string, name: string, depth: number): ResourceRef | undefined {
    const data: Json | undefined = this.stack(stackName)?.doc.data?.[type]?.[name];
    if (!data) return undefined;
    const named = this.resolve(stackName, data.name, depth + 1);
    if (named?.type === type) return named;
    const settings = Object.entries(data).filter(([key]) => key !== '//' && key !== 'depends_on');
    return this.resources(type).find((candidate) => candidate.stack === stackName && settings.every(([key, value]) => JSON.stringify(candidate.body[key]) === JSON.stringify(value)));
  }

  /**
   * The stack whose backend a `terraform_remote_state` data source reads: same backend type, and every
   * setting the data source gives equal to the backend's (the backend may set more, e.g. locking).
   */
  remoteStateStack(stackName: string, dataName: string): SynthesizedStack | undefined {
    const remote = this.stack(stackName)?.doc.data?.terraform_remote_state?.[dataName];
    if (!remote) return undefined;
    return this.stacks.find((candidate) => {
      const backend: Json | undefined = candidate.doc.terraform?.backend?.[remote.backend];
      return backend !== undefined && Object.entries((remote.config ?? {}) as Json).every(([key, value]) => JSON.stringify(backend[key]) === JSON.stringify(value));
    });
  }

  /** Resources of `type` whose attribute `field` references `target` (e.g. the SSE configuration of a bucket). */
  referencing(type: string, field: string, target: ResourceRef): Resource[] {
    return this.resources(type).filter((candidate) => {
      const ref = this.resolve(candidate.stack, candidate.body[field]);
      return ref !== undefined && ref.stack === target.stack && addressOf(ref) === addressOf(target);
    });
  }

  /** The AWS region of a resource: its provider (alias) in its stack. */
  awsRegion(resource: Resource): string | undefined {
    const providers: Json[] = this.stack(resource.stack)?.doc.provider?.aws ?? [];
    const alias = typeof resource.body.provider === 'string' ? resource.body.provider.replace(/^aws\./, '') : undefined;
    return (providers.find((provider) => provider.alias === alias) ?? providers.find((provider) => provider.alias === undefined))?.region;
  }

  /** The Azure location of a resource: its own, else its resource group's. */
  azureLocation(resource: Resource): string | undefined {
    if (typeof resource.body.location === 'string') return resource.body.location;
    const group = this.resolve(resource.stack, resource.body.resource_group_name);
    return group ? this.get(group)?.body.location : undefined;
  }

  regionOf(resource: Resource): string | undefined {
    return resource.type.startsWith('azurerm_') ? this.azureLocation(resource) : this.awsRegion(resource);
  }

  /** The region of the Kubernetes cluster the in-cluster objects run in. */
  clusterRegion(): string | undefined {
    const cluster = [...this.resources('aws_eks_cluster'), ...this.resources('azurerm_kubernetes_cluster')][0];
    return cluster ? this.regionOf(cluster) : undefined;
  }
}
