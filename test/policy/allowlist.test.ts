/**
 * The allowlist (policies/classification/allowlist/allowlist.rego) is reviewed data: every rule it says judges an
 * entry must be a rule the gate has, so a reviewer reading "judged by X" can rely on X existing.
 */
import * as fs from 'fs';
import * as path from 'path';
import { POLICY_RULES } from '../../lib/policy';
import { POLICIES_DIR } from './fixtures';

const allowlist = fs.readFileSync(path.join(POLICIES_DIR, 'classification', 'allowlist', 'allowlist.rego'), 'utf8');

function namedRules(text: string): string[] {
  return [...text.matchAll(/"rules": \[([^\]]*)\]/g)].flatMap((m) => [...m[1].matchAll(/"([^"]+)"/g)].map((r) => r[1]));
}

describe('classification allowlist', () => {
  test('names rules', () => {
    expect(namedRules(allowlist).length).toBeGreaterThan(40);
  });

  test('every rule it names is in the rule catalogue', () => {
    expect([...new Set(namedRules(allowlist))].filter((rule) => POLICY_RULES[rule] === undefined)).toEqual([]);
  });
});
