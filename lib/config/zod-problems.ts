import { z } from 'zod';
import { ConfigPath, ConfigProblem } from './errors';

/**
 * Turns zod issues into ConfigProblems that name the field and the allowed values. Zod's own English
 * messages ("Invalid input: ...") are replaced; messages written in schema.ts are kept as they are.
 */

// Internal zod 4 definition shape, as far as walking the schema needs it.
interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  values?: unknown[];
}

function defOf(schema: z.ZodType): SchemaDef {
  return (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if (def.innerType && ['optional', 'default', 'nullable', 'prefault', 'readonly'].includes(def.type)) {
      current = def.innerType;
    } else {
      return current;
    }
  }
}

function valueAt(input: unknown, path: ConfigPath): unknown {
  return path.reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as Record<string | number, unknown>)[key] : undefined), input);
}

/** For a discriminated union, the option the input selects (undefined when the discriminator is wrong). */
function selectOption(def: SchemaDef, value: unknown): z.ZodType | undefined {
  if (!def.options || !def.discriminator || value === null || typeof value !== 'object') {
    return undefined;
  }
  const tag = (value as Record<string, unknown>)[def.discriminator];
  return def.options.find((option) => literalValues(unwrap(option), def.discriminator!).includes(tag));
}

function literalValues(objectSchema: z.ZodType, key: string): unknown[] {
  const field = defOf(objectSchema).shape?.[key];
  return field ? (defOf(unwrap(field)).values ?? []) : [];
}

/** The schema that validates the value at `path`, following the input through unions. */
function schemaAt(root: z.ZodType, input: unknown, path: ConfigPath): z.ZodType | undefined {
  let schema: z.ZodType | undefined = unwrap(root);
  for (let depth = 0; depth <= path.length && schema; depth++) {
    const def = defOf(schema);
    if (def.type === 'union' && def.options) {
      schema = selectOption(def, valueAt(input, path.slice(0, depth)));
      if (!schema) {
        return undefined;
      }
      continue;
    }
    if (depth === path.length) {
      break;
    }
    const key = path[depth];
    const next: z.ZodType | undefined =
      def.type === 'object' ? def.shape?.[String(key)] : def.type === 'array' ? def.element : def.type === 'record' ? def.valueType : undefined;
    schema = next ? unwrap(next) : undefined;
  }
  return schema;
}

function objectKeys(root: z.ZodType, input: unknown, path: ConfigPath): string[] {
  const schema = schemaAt(root, input, path);
  return schema ? Object.keys(defOf(schema).shape ?? {}) : [];
}

function discriminatorValues(root: z.ZodType, path: ConfigPath): string[] {
  // Walk without input: we want every option of the union at this path.
  let schema: z.ZodType | undefined = unwrap(root);
  for (const key of path) {
    const def: SchemaDef | undefined = schema ? defOf(schema) : undefined;
    const next: z.ZodType | undefined = def?.type === 'object' ? def.shape?.[String(key)] : def?.type === 'array' ? def.element : undefined;
    schema = next ? unwrap(next) : undefined;
  }
  const def = schema ? defOf(schema) : undefined;
  if (!def?.options || !def.discriminator) {
    return [];
  }
  return def.options.flatMap((option) => literalValues(unwrap(option), def.discriminator!).map(String));
}

const ZOD_DEFAULT_MESSAGE = /^(Invalid|Too small|Too big|Unrecognized|Expected)/;

function describeType(expected: string): string {
  return expected === 'object' ? 'a mapping' : expected === 'array' ? 'a list' : `a ${expected}`;
}

/**
 * YAML reads an unquoted `1.33` or `111122223333` as a number (and `true` as a boolean). Where the schema
 * wants a string, say how to quote it; an allowed value equal to the number is the one to write.
 */
function quoteHint(value: unknown, allowed: readonly string[] = []): string | undefined {
  if (typeof value !== 'number' && typeof value !== 'boolean') {
    return undefined;
  }
  const text = allowed.find((candidate) => typeof value === 'number' && Number(candidate) === value) ?? String(value);
  return `YAML read the unquoted value as a ${typeof value}: write "${text}" (quoted)`;
}

export function problemsFromZod(root: z.ZodType, input: unknown, issues: readonly z.core.$ZodIssue[]): ConfigProblem[] {
  return issues.flatMap((issue): ConfigProblem[] => {
    const path = issue.path.filter((segment): segment is string | number => typeof segment !== 'symbol');
    const custom = !ZOD_DEFAULT_MESSAGE.test(issue.message);
    switch (issue.code) {
      case 'unrecognized_keys':
        return issue.keys.map((key) => ({ path: [...path, key], message: 'is not a known field', allowed: objectKeys(root, input, path) }));
      case 'invalid_type': {
        const value = valueAt(input, path);
        if (value === undefined) {
          return [{ path, message: 'is required' }];
        }
        const hint = issue.expected === 'string' ? quoteHint(value) : undefined;
        return [{ path, message: `must be ${describeType(issue.expected)}${hint ? `; ${hint}` : ''}` }];
      }
      case 'invalid_value': {
        const allowed = issue.values.map(String);
        const hint = issue.values.every((v) => typeof v === 'string') ? quoteHint(valueAt(input, path), allowed) : undefined;
        return [{ path, message: `${custom ? issue.message : 'is not an allowed value'}${hint ? `; ${hint}` : ''}`, allowed }];
      }
      case 'invalid_union': {
        const discriminator = (issue as { discriminator?: string }).discriminator;
        if (discriminator) {
          // zod reports the discriminator's own path in some versions and the union's in others.
          const unionPath = path[path.length - 1] === discriminator ? path.slice(0, -1) : path;
          return [{ path: [...unionPath, discriminator], message: 'is not an allowed value', allowed: discriminatorValues(root, unionPath) }];
        }
        return [{ path, message: 'does not match any allowed form' }];
      }
      case 'too_small':
      case 'too_big': {
        if (custom) {
          return [{ path, message: issue.message }];
        }
        const bound = issue.code === 'too_small' ? `at least ${issue.minimum}` : `at most ${issue.maximum}`;
        const unit = issue.origin === 'array' ? ' items' : issue.origin === 'string' ? ' characters' : '';
        return [{ path, message: `must be ${bound}${unit}` }];
      }
      default:
        return [{ path, message: custom ? issue.message : issue.message.toLowerCase() }];
    }
  });
}
