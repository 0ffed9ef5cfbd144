import { RolloutError } from './errors';

/**
 * Reading `terraform show -json <planfile>` output (format_version 1.x). Only names are extracted,
 * never values: plan JSON carries sensitive values in clear text, and reports end up in CI summaries
 * and issues.
 */

/** A resource whose real state differs from the state terraform recorded. */
export interface DriftedResource {
  readonly address: string;
  /** `update` (changed out of band) or `delete` (gone out of band). */
  readonly actions: readonly string[];
  /** Top-level attribute names whose value differs between recorded and real state, sorted. */
  readonly changedAttributes: readonly string[];
}

/** A resource a normal plan would change. */
export interface PlannedChange {
  readonly address: string;
  readonly actions: readonly string[];
}

interface RawChange {
  actions?: unknown;
  before?: unknown;
  after?: unknown;
}
interface RawResourceChange {
  address?: unknown;
  change?: RawChange;
}
interface RawPlan {
  format_version?: unknown;
  resource_drift?: unknown;
  resource_changes?: unknown;
  output_changes?: unknown;
}

function asPlan(json: unknown): RawPlan {
  if (typeof json !== 'object' || json === null || Array.isArray(json) || typeof (json as RawPlan).format_version !== 'string') {
    throw new RolloutError('terraform show -json did not return a plan document (no "format_version")');
  }
  return json as RawPlan;
}

function entries(value: unknown, field: string): RawResourceChange[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new RolloutError(`plan JSON field "${field}" is not a list`);
  return value as RawResourceChange[];
}

function actionsOf(entry: RawResourceChange): string[] {
  const actions = entry.change?.actions;
  return Array.isArray(actions) ? actions.filter((a): a is string => typeof a === 'string') : [];
}

/**
 * Treats "no value" spellings as one: null, "", [] and {} (recursively, and object keys holding them).
 * Providers often write `null` at create and read back `{}` (hashicorp/aws 5.100 does it for
 * `aws_kms_key.tags`), which terraform lists as drift. Nothing changed in the cloud, and a drift job
 * that fires on every fresh stack teaches people to ignore it, so this noise is filtered out.
 */
function normalize(value: unknown): unknown {
  if (value === undefined || value === null || value === '') return null;
  if (Array.isArray(value)) {
    const items = value.map(normalize);
    return items.length === 0 ? null : items;
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const n = normalize(v);
      if (n !== null) out[k] = n;
    }
    return Object.keys(out).length === 0 ? null : out;
  }
  return value;
}

/** JSON with object keys sorted, so two values compare equal regardless of key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Top-level attribute names whose values differ between `before` and `after`, sorted. Differences
 * between null and empty values do not count (see `normalize`).
 */
export function changedAttributeNames(before: unknown, after: unknown): string[] {
  const b = before !== null && typeof before === 'object' && !Array.isArray(before) ? (before as Record<string, unknown>) : {};
  const a = after !== null && typeof after === 'object' && !Array.isArray(after) ? (after as Record<string, unknown>) : {};
  const keys = new Set([...Object.keys(b), ...Object.keys(a)]);
  return [...keys].filter((k) => canonical(normalize(b[k])) !== canonical(normalize(a[k]))).sort();
}

function byAddress<T extends { address: string }>(x: T, y: T): number {
  return x.address < y.address ? -1 : x.address > y.address ? 1 : 0;
}

/**
 * Drifted resources from a refresh-only plan: `resource_drift[]`, comparing `change.before` (what
 * state recorded) with `change.after` (what the provider read back). A resource deleted out of band
 * has `after: null`; it is reported with action `delete` and no attribute names. An update whose only
 * differences are null-versus-empty is not drift and is left out.
 */
export function driftedResources(planJson: unknown): DriftedResource[] {
  const plan = asPlan(planJson);
  const found: DriftedResource[] = [];
  for (const e of entries(plan.resource_drift, 'resource_drift')) {
    if (typeof e.address !== 'string') continue;
    const actions = actionsOf(e);
    const deleted = e.change?.after === null || actions.includes('delete');
    const changedAttributes = deleted ? [] : changedAttributeNames(e.change?.before, e.change?.after);
    if (!deleted && changedAttributes.length === 0) continue;
    found.push({ address: e.address, actions, changedAttributes });
  }
  return found.sort(byAddress);
}

/** Output names whose value a plan would change (refresh-only plans update outputs from real state). */
export function changedOutputs(planJson: unknown): string[] {
  const plan = asPlan(planJson);
  const outputs = plan.output_changes;
  if (outputs === undefined || outputs === null || typeof outputs !== 'object') return [];
  return Object.entries(outputs as Record<string, RawChange>)
    .filter(([, change]) => {
      const actions = Array.isArray(change?.actions) ? change.actions : [];
      return actions.some((a) => a !== 'no-op');
    })
    .map(([name]) => name)
    .sort();
}

/** Resources a normal plan would create, update, replace or delete (no-ops left out). */
export function plannedChanges(planJson: unknown): PlannedChange[] {
  const plan = asPlan(planJson);
  return entries(plan.resource_changes, 'resource_changes')
    .filter((e) => typeof e.address === 'string')
    .map((e) => ({ address: e.address as string, actions: actionsOf(e) }))
    .filter((c) => !(c.actions.length === 1 && c.actions[0] === 'no-op'))
    .sort(byAddress);
}
