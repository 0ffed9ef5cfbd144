/**
 * Shared by the policy tests: the fixtures under policies/fixtures (the same documents the Rego tests
 * use) and a small JSON-patch-free way to copy and change them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { PolicyData, PolicyEnvironment, PolicyStack } from '../../lib/policy';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const POLICIES_DIR = path.join(REPO_ROOT, 'policies');
export const FIXTURES_DIR = path.join(POLICIES_DIR, 'fixtures');
export const OPA_BIN = path.join(REPO_ROOT, '.tools', 'bin', 'opa');
export const CONFTEST_BIN = path.join(REPO_ROOT, '.tools', 'bin', 'conftest');

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

interface Contract {
  environments: Record<'aws' | 'azure', PolicyEnvironment>;
  stacks: Record<string, PolicyStack>;
}

export const CONTRACT: Contract = JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, 'contract', 'data.json'), 'utf8'));

export interface Fixture {
  /** Directory name under policies/fixtures. */
  readonly id: string;
  readonly input: JsonObject;
  readonly data: PolicyData;
}

const FIXTURE_ENV: Record<string, 'aws' | 'azure'> = {
  aws_platform: 'aws',
  azure_platform: 'azure',
  aws_workloads: 'aws',
  aws_tenant: 'aws',
  aws_plan: 'aws',
};

export const FIXTURE_IDS = Object.keys(FIXTURE_ENV);

export function loadFixture(id: string): Fixture {
  const input = JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, id, 'input.json'), 'utf8')) as JsonObject;
  return { id, input, data: { environment: CONTRACT.environments[FIXTURE_ENV[id]], stack: CONTRACT.stacks[id] } };
}

export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Resources of a cdk.tf.json document: [type, name, body] for each, skipping "//" metadata. */
export function resourcesOf(doc: JsonObject): Array<[string, string, JsonObject]> {
  const out: Array<[string, string, JsonObject]> = [];
  const resource = (doc.resource ?? {}) as Record<string, Record<string, JsonObject>>;
  for (const type of Object.keys(resource).sort()) {
    if (type === '//') continue;
    for (const name of Object.keys(resource[type]).sort()) {
      if (name === '//') continue;
      out.push([type, name, resource[type][name]]);
    }
  }
  return out;
}
