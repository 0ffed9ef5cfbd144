/**
 * Removal is symmetric: `tenants[].offboard: true` adds the Jobs that delete what the provisioning Jobs
 * created outside Terraform's state. Checked on the synthesized JSON, and each script is run against a fake
 * (a LiteLLM admin API in python, a valkey-cli on PATH) to prove it deletes, is idempotent and fails closed.
 */
import { spawn, spawnSync, ChildProcess } from 'child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { EXAMPLE, exampleInput, exampleStacks, resources, synth } from './synth';
import { synthesize } from '../../apps/synth';
import { treeContents } from '../helpers';
import { LITELLM_OFFBOARD_SCRIPT, QUEUE_OFFBOARD_SCRIPT } from '../../lib/tenancy/offboarding';

const ENV = 'uae-prod-aws';
const MOH = `${ENV}-tenant-ministry-health`;
const CUSTOMS = `${ENV}-tenant-customs-authority`;

const jobs = (stack: any) => resources(stack, 'kubernetes_job_v1');
const jobNamed = (stack: any, name: string) => jobs(stack).find((job) => job.metadata.name === name);
const envOf = (job: any) => Object.fromEntries(job.spec.template.spec.container[0].env.map((e: any) => [e.name, e.value ?? e.value_from ?? e.valueFrom]));

describe('offboarding: the JSON', () => {
  let before: Record<string, any>;
  let after: Record<string, any>;
  beforeAll(() => {
    before = exampleStacks();
    const input = exampleInput();
    input.tenants.find((tenant: any) => tenant.id === 'ministry-health').offboard = true;
    after = synth(input);
  });

  test('without offboard there is no offboarding Job', () => {
    expect(jobs(before[MOH]).map((job) => job.metadata.name).filter((name) => name.includes('offboard'))).toEqual([]);
  });

  test('offboard adds a LiteLLM Job in llm-gateway and a queue Job in data, after the provisioning Jobs', () => {
    const llm = jobNamed(after[MOH], 'tenant-ministry-health-litellm-offboard');
    const queue = jobNamed(after[MOH], 'tenant-ministry-health-queue-offboard');
    expect(llm.metadata.namespace).toBe('llm-gateway');
    expect(queue.metadata.namespace).toBe('data');
    for (const job of [llm, queue]) {
      expect(job.wait_for_completion).toBe(true);
      // Every provisioning Job (LiteLLM and embeddings keys, queue ACL): removal never races creation.
      expect(job.depends_on).toHaveLength(3);
      expect(job.depends_on.map((dep: string) => /^kubernetes_job_v1\.tenant_(litellm|embeddings-key|queue-acl)_job_/.exec(dep)?.[1]).sort()).toEqual(['embeddings-key', 'litellm', 'queue-acl']);
      expect(job.spec.template.spec.automount_service_account_token).toBe(false);
    }
    // What the destroy report lists for the stack (lib/rollout/removals.ts).
    expect(llm.metadata.annotations['rag.platform/removes']).toBe('LiteLLM keys ministry-health, ministry-health-embeddings and team ministry-health');
    expect(queue.metadata.annotations['rag.platform/removes']).toBe('queue ACL user tenant-ministry-health and the keys tenant:ministry-health:*');
    expect(envOf(llm).LITELLM_MASTER_KEY).toBeDefined();
    expect(envOf(llm).TENANT_KEY).toBeUndefined();
    expect(envOf(queue)).toMatchObject({ ACL_USER: 'tenant-ministry-health', KEY_PATTERN: 'tenant:ministry-health:*' });
    expect(queue.spec.template.spec.container[0].command).toEqual(['sh', '-c', QUEUE_OFFBOARD_SCRIPT]);
    const spec = resources(after[MOH], 'kubernetes_config_map_v1').find((cm) => cm.metadata.name === 'tenant-ministry-health-litellm-offboard');
    expect(JSON.parse(spec.data['tenant.json'])).toEqual({ team_id: 'ministry-health', key_aliases: ['ministry-health', 'ministry-health-embeddings'] });
    expect(spec.data['offboard.py']).toBe(LITELLM_OFFBOARD_SCRIPT);
  });

  test('the offboarding pods carry the provisioning pods labels (the platform policies admit exactly those)', () => {
    const podLabels = (name: string) => jobNamed(after[MOH], name).spec.template.metadata.labels;
    const provisioning = (prefix: string) => jobs(after[MOH]).find((job) => new RegExp(`^${prefix}-[0-9a-f]{8}$`).test(job.metadata.name)).spec.template.metadata.labels;
    expect(podLabels('tenant-ministry-health-litellm-offboard')).toEqual(provisioning('tenant-ministry-health-litellm'));
    expect(podLabels('tenant-ministry-health-queue-offboard')).toEqual(provisioning('tenant-ministry-health-queue-acl'));
  });

  test('offboarding one tenant leaves every other stack byte-identical', () => {
    for (const name of Object.keys(before).filter((stack) => stack !== MOH)) {
      expect(JSON.stringify(after[name])).toBe(JSON.stringify(before[name]));
    }
    expect(after[CUSTOMS]).toBeDefined();
  });

  test('npm run offboard: its synth (override in memory) equals offboard: true in the file, and leaves the file alone', () => {
    const file = readFileSync(EXAMPLE, 'utf8');
    const outdir = join(mkdtempSync(join(tmpdir(), 'offboard-override-')), 'cdktf.out');
    const lines: string[] = [];
    expect(synthesize(EXAMPLE, outdir, { out: (line) => lines.push(line), err: (line) => lines.push(line) }, { offboardTenant: 'ministry-health' }).exitCode).toBe(0);
    expect(lines).toEqual([`synthesized ${ENV} (aws, me-central-1) into ${outdir} with tenants[id=ministry-health].offboard forced to true (${EXAMPLE} unchanged)`]);
    const stacks = Object.fromEntries(
      Object.entries(treeContents(join(outdir, 'stacks')))
        .filter(([file]) => file.endsWith('/cdk.tf.json'))
        .map(([file, text]) => [file.split('/')[0], JSON.parse(text)]),
    );
    expect(Object.keys(stacks).sort()).toEqual(Object.keys(after).sort());
    for (const name of Object.keys(after)) expect(stacks[name]).toEqual(after[name]);
    expect(readFileSync(EXAMPLE, 'utf8')).toBe(file);
  });

  test('npm run offboard: an id the file does not list is refused, naming the field and the ids it has; nothing written', () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'offboard-unknown-')), 'cdktf.out');
    const errors: string[] = [];
    expect(synthesize(EXAMPLE, outdir, { out: () => undefined, err: (line) => errors.push(line) }, { offboardTenant: 'ministry-heath' }).exitCode).toBe(2);
    expect(errors[0]).toBe(`${EXAMPLE}: tenants: has no tenant with id "ministry-heath" to offboard (allowed: ministry-health, customs-authority)`);
    expect(existsSync(outdir)).toBe(false);
  });

  test('deleting the entry afterwards (the last step) leaves no trace of the tenant and changes no other stack', () => {
    const input = exampleInput();
    input.tenants = input.tenants.filter((tenant: any) => tenant.id !== 'ministry-health');
    const removed = synth(input);
    expect(Object.keys(removed).sort()).toEqual(Object.keys(before).filter((name) => name !== MOH).sort());
    for (const name of Object.keys(removed)) {
      expect(JSON.stringify(removed[name])).toBe(JSON.stringify(before[name]));
      if (name !== CUSTOMS) expect(JSON.stringify(removed[name])).not.toContain('ministry-health');
    }
  });
});

/** A LiteLLM admin API that knows the teams given, logs every call, and answers key/delete with `keyStatus`. */
const FAKE_LITELLM = `
import json, sys
from http.server import BaseHTTPRequestHandler, HTTPServer
teams = set(sys.argv[2].split(",")) - {""}
log = open(sys.argv[1], "a")
key_status = int(sys.argv[3])
class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass
    def reply(self, status):
        self.send_response(status)
        self.end_headers()
    def do_GET(self):
        log.write("GET " + self.path + " " + self.headers["Authorization"] + "\\n"); log.flush()
        if self.path.startswith("/health/readiness"):
            return self.reply(200)
        team = self.path.split("team_id=")[-1]
        self.reply(200 if team in teams else 404)
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        log.write("POST " + self.path + " " + json.dumps(body, sort_keys=True) + "\\n"); log.flush()
        if self.path == "/team/delete":
            teams.difference_update(body["team_ids"])
            return self.reply(200)
        self.reply(key_status)
server = HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_port, flush=True)
server.serve_forever()
`;

describe('offboarding: the LiteLLM script against a fake admin API', () => {
  let dir: string;
  let server: ChildProcess | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'offboard-'));
    writeFileSync(join(dir, 'fake.py'), FAKE_LITELLM);
    writeFileSync(join(dir, 'offboard.py'), LITELLM_OFFBOARD_SCRIPT);
    writeFileSync(join(dir, 'tenant.json'), JSON.stringify({ team_id: 'acme', key_aliases: ['acme', 'acme-embeddings'] }));
  });
  afterEach(() => {
    server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = (teams: string, keyStatus: number) =>
    new Promise<number>((resolvePort) => {
      server = spawn('python3', [join(dir, 'fake.py'), join(dir, 'calls.log'), teams, String(keyStatus)]);
      server.stdout!.once('data', (data) => resolvePort(Number(String(data).trim())));
    });
  const run = (port: number) =>
    spawnSync('python3', [join(dir, 'offboard.py'), join(dir, 'tenant.json')], { env: { ...process.env, LITELLM_URL: `http://127.0.0.1:${port}`, LITELLM_MASTER_KEY: 'sk-master' }, encoding: 'utf8' });
  const calls = () => readFileSync(join(dir, 'calls.log'), 'utf8').trim().split('\n');

  test('deletes both keys (LLM and embeddings) by alias and the team, as the master key, and says so', async () => {
    const result = run(await start('acme,other', 200));
    expect(result.status).toBe(0);
    expect(calls()).toEqual([
      'GET /health/readiness Bearer sk-master',
      'POST /key/delete {"key_aliases": ["acme"]}',
      'POST /key/delete {"key_aliases": ["acme-embeddings"]}',
      'GET /team/info?team_id=acme Bearer sk-master',
      'POST /team/delete {"team_ids": ["acme"]}',
    ]);
    expect(result.stdout).toContain('removed: LiteLLM team acme and keys acme, acme-embeddings');
  });

  test('idempotent: a second run with team and key gone succeeds and deletes nothing more', async () => {
    const result = run(await start('other', 404));
    expect(result.status).toBe(0);
    expect(calls().filter((call) => call.startsWith('POST /team/delete'))).toEqual([]);
    expect(result.stdout).toContain('LiteLLM team acme already absent');
  });

  test('fails closed when LiteLLM refuses the key deletion', async () => {
    const result = run(await start('acme', 500));
    expect(result.status).toBe(1);
    expect(calls().filter((call) => call.startsWith('POST /team/delete'))).toEqual([]);
  });
});

/** valkey-cli on PATH: logs its arguments (without the connection flags) and answers like the server. */
const FAKE_CLI = `#!/bin/sh
shift 5
echo "$*" >> "$CALLS"
case "$*" in
  PING) echo PONG ;;
  "ACL DELUSER "*) echo "$DELUSER_REPLY" ;;
  "--scan --pattern "*) printf 'tenant:acme:ingest\\ntenant:acme:ingest:quarantine\\n' ;;
  "UNLINK "*) echo 1 ;;
  "ACL SAVE") echo OK ;;
esac
`;

describe('offboarding: the queue script against a fake valkey-cli', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'offboard-queue-'));
    writeFileSync(join(dir, 'valkey-cli'), FAKE_CLI);
    chmodSync(join(dir, 'valkey-cli'), 0o755);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const run = (deluserReply: string) =>
    spawnSync('sh', ['-c', QUEUE_OFFBOARD_SCRIPT], {
      env: { PATH: `${dir}:${process.env.PATH}`, CALLS: join(dir, 'calls.log'), DELUSER_REPLY: deluserReply, QUEUE_HOST: 'q', QUEUE_PORT: '6379', ACL_USER: 'tenant-acme', KEY_PATTERN: 'tenant:acme:*' },
      encoding: 'utf8',
    });

  test('deletes the ACL user and every tenant key, then saves the ACL file', () => {
    const result = run('1');
    expect(result.status).toBe(0);
    expect(readFileSync(join(dir, 'calls.log'), 'utf8').trim().split('\n')).toEqual([
      'PING',
      'ACL DELUSER tenant-acme',
      '--scan --pattern tenant:acme:*',
      'UNLINK tenant:acme:ingest',
      'UNLINK tenant:acme:ingest:quarantine',
      'ACL SAVE',
    ]);
    expect(result.stdout).toContain('removed: ACL user tenant-acme (1) and 2 key(s) matching tenant:acme:*');
  });

  test('idempotent when the user is already gone; fails on an error reply', () => {
    expect(run('0').status).toBe(0);
    expect(run('(error) NOPERM').status).toBe(1);
  });
});
