/**
 * Helm values as typed plain objects: merged with `deepMerge` (defaults under user props, the
 * cdk-eks-blueprints add-on pattern) and rendered with `renderValues`, never by templating YAML text.
 */

export type Values = { [key: string]: unknown };

function isPlainObject(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Merges `override` over `base`: objects merge key by key, anything else (arrays included) is replaced.
 * `undefined` in the override keeps the base value, so optional props never erase a default.
 */
export function deepMerge<T extends Values>(base: T, override: Values | undefined): T {
  if (override === undefined) {
    return base;
  }
  const result: Values = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) {
      continue;
    }
    const current = result[key];
    result[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return result as T;
}

/**
 * One values document for helm_release. JSON is valid YAML, never folds long lines (tokens that cdktf
 * resolves to `${...}` stay intact) and keeps the key order of the typed object: deterministic output.
 */
export function renderValues(values: Values): string {
  return JSON.stringify(values, null, 2);
}

/** Every leaf path the values set (`a.b.c`); arrays are leaves. Used by the tests against values.yaml. */
export function leafPaths(values: Values, prefix: string[] = []): string[][] {
  const paths: string[][] = [];
  for (const [key, value] of Object.entries(values)) {
    const path = [...prefix, key];
    if (isPlainObject(value) && Object.keys(value).length > 0) {
      paths.push(...leafPaths(value, path));
    } else {
      paths.push(path);
    }
  }
  return paths;
}
