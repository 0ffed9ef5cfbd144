import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { REFERENCE_FILE, REGENERATE, SCHEMA_FILE, schemaFiles } from '../../scripts/schema';
import { REPO_ROOT } from '../helpers';

describe('generated environment schema and reference', () => {
  const generated = schemaFiles();

  test.each([SCHEMA_FILE, REFERENCE_FILE])(`%s is up to date with lib/config/schema.ts (else: ${REGENERATE})`, (file) => {
    const committed = readFileSync(join(REPO_ROOT, file), 'utf8');
    if (committed !== generated[file]) {
      throw new Error(`${file} is out of date with lib/config/schema.ts: run \`${REGENERATE}\` and commit the result`);
    }
  });

  test('every example references the JSON Schema for editors', () => {
    for (const example of readdirSync(join(REPO_ROOT, 'examples')).filter((f) => /\.ya?ml$/.test(f))) {
      const firstLine = readFileSync(join(REPO_ROOT, 'examples', example), 'utf8').split('\n')[0];
      expect({ example, firstLine }).toEqual({ example, firstLine: '# yaml-language-server: $schema=../schema/environment.schema.json' });
    }
  });

  test('the JSON Schema is strict and knows the top-level sections and their allowed values', () => {
    const schema = JSON.parse(generated[SCHEMA_FILE]);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(expect.arrayContaining(['name', 'cloud', 'sovereignty', 'region', 'network', 'nodePools', 'registry', 'state', 'llm', 'components']));
    expect(schema.properties.cloud.enum).toEqual(['aws', 'azure']);
    expect(schema.properties.state.anyOf.map((v: any) => v.properties.backend.const).sort()).toEqual(['azurerm', 'hcp', 'local', 's3']);
    expect(generated[REFERENCE_FILE]).toContain('| `state (backend: s3).bucket` | string |');
  });
});
