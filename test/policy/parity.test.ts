/**
 * Parity: the in-process gate (policy.wasm via @open-policy-agent/opa-wasm) and the OPA CLI / conftest
 * (the same Rego, evaluated by Go) must give identical findings for the same input and data. Cases: every
 * fixture (cdk.tf.json, plan JSON, HCP Terraform shape), every mutation of them, and an exception case.
 * Needs .tools/bin/opa and .tools/bin/conftest (scripts/ci/install-policy-tools.sh); skipped loudly otherwise.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadGatePolicy, PolicyData, RawFinding, sortFindings, StackEvaluation } from '../../lib/policy';
import { CONFTEST_BIN, FIXTURE_IDS, JsonObject, OPA_BIN, POLICIES_DIR, REPO_ROOT, clone, loadFixture } from './fixtures';
import { MUTATIONS } from './mutations';

interface Case {
  readonly id: string;
  readonly input: unknown;
  readonly data: PolicyData;
}

function buildCases(): Case[] {
  const cases: Case[] = [];
  for (const id of FIXTURE_IDS) {
    const fixture = loadFixture(id);
    cases.push({ id, input: fixture.input, data: fixture.data });
    if (id === 'aws_plan') {
      cases.push({ id: `${id} (HCP Terraform)`, input: { plan: fixture.input }, data: fixture.data });
      continue;
    }
    for (const mutation of MUTATIONS) {
      const doc = clone(fixture.input) as JsonObject;
      const result = mutation.apply({ doc, data: fixture.data });
      if (result !== undefined) {
        cases.push({ id: `${id} / ${mutation.rule} / ${mutation.description}`, input: doc, data: result.data ?? fixture.data });
      }
    }
  }
  const broken = clone(loadFixture('aws_platform').input) as any;
  broken.resource.aws_kms_key.platform.enable_key_rotation = false;
  broken.resource.aws_subnet.private_a.map_public_ip_on_launch = true;
  const base = loadFixture('aws_platform').data;
  cases.push({
    id: 'aws_platform with an exception',
    input: broken,
    data: {
      ...base,
      environment: {
        ...base.environment,
        exceptions: [
          { rule: 'exposure.subnet_public_ip', resource: 'aws_subnet.private_a', stack: base.stack.name, reason: 'Approved bastion subnet (SEC-42).' },
          // Placeholder reason and another stack's scope: neither may apply, in wasm or in conftest.
          { rule: 'encryption.kms_rotation', resource: 'aws_kms_key.platform', stack: base.stack.name, reason: 'TODO write it down' },
          { rule: 'encryption.kms_rotation', resource: 'aws_kms_key.platform', stack: 'uae-prod-tenant-acme', reason: 'Scoped to a tenant stack (SEC-43).' },
        ],
      },
    },
  });
  return cases;
}

const haveOpa = fs.existsSync(OPA_BIN);
const haveConftest = fs.existsSync(CONFTEST_BIN);
if (!haveOpa || !haveConftest) {
  // Loud on purpose: a green run without the CLI tools has not checked parity.
  console.warn(
    `PARITY TEST SKIPPED: ${!haveOpa ? OPA_BIN : CONFTEST_BIN} is missing; run scripts/ci/install-policy-tools.sh ` +
      '(scripts/ci/policy.sh does) to compare the wasm gate with opa/conftest.',
  );
}
const describeWithTools = haveOpa && haveConftest ? describe : describe.skip;

function normalise(evaluation: StackEvaluation): { denies: RawFinding[]; excepted: RawFinding[] } {
  return { denies: sortFindings(evaluation.denies), excepted: sortFindings(evaluation.excepted) };
}

describeWithTools('wasm gate == opa eval == conftest', () => {
  const cases = buildCases();
  let work: string;
  const wasmResults = new Map<string, { denies: RawFinding[]; excepted: RawFinding[] }>();

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-parity-'));
    const policy = await loadGatePolicy();
    for (const c of cases) {
      wasmResults.set(c.id, normalise(policy.evaluate(c.input, c.data)));
    }
  });

  afterAll(() => {
    fs.rmSync(work, { recursive: true, force: true });
  });

  test(`opa eval gives the same findings for all ${cases.length} cases`, () => {
    // One opa process for every case: the cases are data, evaluated with `with`, one result (binding) per
    // case. (Not an object comprehension: OPA 1.21 does not apply `with input` inside one to rules that
    // read the whole input document, e.g. object.get(input, ...).)
    const casesFile = path.join(work, 'cases.json');
    fs.writeFileSync(casesFile, JSON.stringify({ parity_cases: cases.map((c) => ({ id: c.id, input: c.input, data: c.data })) }));
    const query =
      'some c in data.parity_cases; id := c.id; ' +
      'r := data.gate.report with input as c.input with data.environment as c.data.environment with data.stack as c.data.stack';
    const stdout = execFileSync(
      OPA_BIN,
      ['eval', '--format', 'json', '--ignore', 'fixtures', '-d', path.relative(REPO_ROOT, POLICIES_DIR), '-d', casesFile, query],
      { cwd: REPO_ROOT, maxBuffer: 256 * 1024 * 1024 },
    ).toString();
    const reports: Record<string, StackEvaluation> = {};
    for (const result of JSON.parse(stdout).result as Array<{ bindings: { id: string; r: StackEvaluation } }>) {
      reports[result.bindings.id] = result.bindings.r;
    }
    expect(Object.keys(reports).sort()).toEqual(cases.map((c) => c.id).sort());
    for (const c of cases) {
      expect({ id: c.id, ...normalise(reports[c.id]) }).toEqual({ id: c.id, ...wasmResults.get(c.id) });
    }
    // The comparison means something only if the cases produce findings.
    expect([...wasmResults.values()].filter((r) => r.denies.length > 0).length).toBeGreaterThan(cases.length / 2);
  });

  test('conftest (all namespaces) denies exactly the wasm denies', () => {
    // conftest takes data per run: group the cases by their data document.
    const groups = new Map<string, Case[]>();
    for (const c of cases) {
      const key = JSON.stringify(c.data);
      groups.set(key, [...(groups.get(key) ?? []), c]);
    }
    let group = 0;
    for (const [dataJson, members] of groups) {
      const dir = path.join(work, `conftest-${group++}`);
      fs.mkdirSync(dir);
      const dataFile = path.join(dir, 'policy-data.json');
      fs.writeFileSync(dataFile, dataJson);
      const files = members.map((c, i) => {
        const file = path.join(dir, `case-${i}.json`);
        fs.writeFileSync(file, JSON.stringify(c.input));
        return file;
      });
      let stdout: string;
      try {
        stdout = execFileSync(
          CONFTEST_BIN,
          ['test', '--all-namespaces', '--no-color', '--output', 'json', '--policy', 'policies', '--data', dataFile, ...files],
          { cwd: REPO_ROOT, maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] },
        ).toString();
      } catch (error) {
        // conftest exits 1 when anything is denied; the JSON is still on stdout.
        stdout = String((error as { stdout?: Buffer }).stdout ?? '');
      }
      const results = JSON.parse(stdout) as Array<{ filename: string; failures?: Array<{ msg: string }> }>;
      members.forEach((c, i) => {
        const msgs = results
          .filter((r) => r.filename === files[i])
          .flatMap((r) => (r.failures ?? []).map((f) => f.msg))
          .sort();
        const expected = wasmResults.get(c.id)!.denies.map((f) => f.msg).sort();
        expect({ id: c.id, msgs }).toEqual({ id: c.id, msgs: expected });
      });
    }
  });
});
