/**
 * `npm run schema`: writes the environment file's JSON Schema (schema/environment.schema.json, for
 * editors: the examples reference it with a `yaml-language-server` comment) and its field reference
 * (docs/environment.md), both generated from the zod schema in lib/config/schema.ts.
 * `--check` writes nothing and exits 1 when a committed file is out of date (also a jest test).
 */
import { readFileSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';
import { z } from 'zod';
import { environmentSchema } from '../lib/config/schema';

const REPO = resolve(__dirname, '..', '..');
export const SCHEMA_FILE = 'schema/environment.schema.json';
export const REFERENCE_FILE = 'docs/environment.md';
export const REGENERATE = 'npm run schema';

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  [key: string]: unknown;
};

/** The JSON Schema of what a user writes (zod's input side: defaults make fields optional). */
export function environmentJsonSchema(): JsonSchema {
  const generated = z.toJSONSchema(environmentSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return {
    ...generated,
    title: 'Sovereign RAG platform environment file',
    description: `Generated from lib/config/schema.ts by \`${REGENERATE}\`; do not edit. Cross-field rules (lib/config/rules.ts) are checked by \`npm run synth\` only.`,
  };
}

interface Row {
  readonly field: string;
  readonly node: JsonSchema;
  readonly required: boolean;
}

/** One row per field, depth first; arrays as `field[]`, maps as `field.<key>`, union variants labelled. */
function rows(node: JsonSchema, path: string, required: boolean, out: Row[]): void {
  const variants = node.anyOf ?? node.oneOf;
  if (variants !== undefined && variants.every((v) => v.type === 'object')) {
    out.push({ field: path, node: { type: 'object', default: node.default, description: node.description }, required });
    for (const variant of variants) {
      const tag = Object.entries(variant.properties ?? {}).find(([, p]) => p.const !== undefined);
      const label = tag === undefined ? path : `${path} (${tag[0]}: ${String(tag[1].const)})`;
      children(variant, label, out);
    }
    return;
  }
  if (path !== '') {
    out.push({ field: path, node, required });
  }
  children(node, path, out);
}

function children(node: JsonSchema, path: string, out: Row[]): void {
  const prefix = path === '' ? '' : `${path}.`;
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    rows(child, `${prefix}${key}`, (node.required ?? []).includes(key), out);
  }
  if (typeof node.additionalProperties === 'object') {
    rows(node.additionalProperties, `${prefix}<key>`, false, out);
  }
  if (node.items !== undefined && (node.items.properties !== undefined || node.items.anyOf !== undefined)) {
    children(node.items, `${path}[]`, out);
  }
}

function typeOf(node: JsonSchema): string {
  if (node.const !== undefined) return `\`${JSON.stringify(node.const)}\``;
  const variants = node.anyOf ?? node.oneOf;
  if (variants !== undefined) return variants.map(typeOf).join(' or ');
  if (node.type === 'array') return `list of ${node.items === undefined ? 'any' : typeOf(node.items)}`;
  if (node.type === 'object' && typeof node.additionalProperties === 'object') return 'map';
  return Array.isArray(node.type) ? node.type.join(' or ') : (node.type ?? 'any');
}

function constraints(node: JsonSchema): string {
  const parts: string[] = [];
  if (node.enum !== undefined) parts.push(`one of ${node.enum.map((v) => `\`${JSON.stringify(v)}\``).join(', ')}`);
  if (node.pattern !== undefined) parts.push(`pattern \`${node.pattern.replace(/\|/g, '\\|')}\``);
  if (node.minimum !== undefined) parts.push(`>= ${node.minimum}`);
  if (node.maximum !== undefined) parts.push(`<= ${node.maximum}`);
  if (node.minLength !== undefined) parts.push(`length >= ${node.minLength}`);
  if (node.maxLength !== undefined) parts.push(`length <= ${node.maxLength}`);
  if (node.minItems !== undefined) parts.push(`at least ${node.minItems} item(s)`);
  if (node.maxItems !== undefined) parts.push(`at most ${node.maxItems} item(s)`);
  if (node.type === 'array' && node.items?.enum !== undefined) parts.push(`items one of ${node.items.enum.map((v) => `\`${JSON.stringify(v)}\``).join(', ')}`);
  return parts.join('; ');
}

const cell = (text: string) => text.replace(/\n/g, ' ');

/** docs/environment.md: the field reference, from the JSON Schema. */
export function environmentReference(schema: JsonSchema): string {
  const out: Row[] = [];
  rows(schema, '', true, out);
  const lines = out.map(({ field, node, required }) => {
    const defaultValue = node.default === undefined ? '' : `\`${JSON.stringify(node.default)}\``;
    return `| \`${field}\` | ${typeOf(node)} | ${required ? 'yes' : ''} | ${cell(defaultValue)} | ${cell(constraints(node))} | ${cell(node.description ?? '')} |`;
  });
  return [
    '# Environment file reference',
    '',
    `Generated from the zod schema (\`lib/config/schema.ts\`) by \`${REGENERATE}\`; do not edit by hand.`,
    `The same schema as JSON Schema: \`${SCHEMA_FILE}\`. Every example starts with`,
    '`# yaml-language-server: $schema=../schema/environment.schema.json`, so editors with the YAML language',
    'server complete and check the file as you type. Unknown keys are errors. "required" is relative to the',
    'enclosing object; a field with a default may be left out. Rules that relate fields to each other (region',
    'in the sovereignty profile, GPU family offered in the region, the cloud block matching `cloud`, ...) are',
    'in `lib/config/rules.ts` and checked by `npm run synth`, which names the field and the allowed values.',
    '',
    '| field | type | required | default | allowed | meaning |',
    '|---|---|---|---|---|---|',
    ...lines,
    '',
  ].join('\n');
}

/** The generated files, by path relative to the repository root. */
export function schemaFiles(): Record<string, string> {
  const schema = environmentJsonSchema();
  return {
    [SCHEMA_FILE]: `${JSON.stringify(schema, null, 2)}\n`,
    [REFERENCE_FILE]: environmentReference(schema),
  };
}

function main(check: boolean): number {
  const stale: string[] = [];
  for (const [file, content] of Object.entries(schemaFiles())) {
    const path = join(REPO, file);
    let current: string | undefined;
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === content) continue;
    if (check) {
      stale.push(file);
    } else {
      writeFileSync(path, content);
      process.stdout.write(`schema: wrote ${file}\n`);
    }
  }
  if (stale.length > 0) {
    process.stderr.write(`schema: ${stale.join(', ')} out of date with lib/config/schema.ts; run \`${REGENERATE}\` and commit the result\n`);
    return 1;
  }
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.includes('--check'));
}
