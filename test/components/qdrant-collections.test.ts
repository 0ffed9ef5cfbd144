import { execFileSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { AWS_EXAMPLE, awsExampleInput, configFrom, problemLines, resourcesOf, synthEnvironment, synthExample } from '../helpers';
import { QDRANT_COLLECTIONS_SCRIPT } from '../../lib/components/qdrant-collections-script';

/**
 * Collections as configuration: an idempotent Job creates them with shards, replication, write consistency,
 * the embedding model's vector size and int8 quantization above the threshold; the API key reaches Qdrant as
 * a secretKeyRef env (the chart's own `apiKey.valueFrom` is a render-time Helm lookup).
 */

const stackOf = (stacks: Record<string, any>, suffix: string) => Object.entries(stacks).find(([name]) => name.endsWith(suffix))![1];
const jobOf = (workloads: any) => resourcesOf(workloads, 'kubernetes_job_v1').map(([, j]) => j).find((j) => j.metadata[0]?.name?.startsWith('qdrant-collections-') ?? j.metadata.name.startsWith('qdrant-collections-'));
const specOf = (workloads: any) => {
  const configMap = resourcesOf(workloads, 'kubernetes_config_map_v1').map(([, c]) => c).find((c) => c.metadata.name === 'qdrant-collections');
  return JSON.parse(configMap.data['collections.json']);
};

describe('AWS example (3 peers, 6 shards, replication 2, 20M vectors, bge-m3)', () => {
  const { stacks } = synthExample(AWS_EXAMPLE);
  const workloads = stackOf(stacks, '-workloads');

  test('the documents collection with the configured shards, replication, write consistency and 1024-d vectors; no quantization below 50M', () => {
    expect(specOf(workloads).collections).toEqual([
      {
        name: 'documents',
        create: { vectors: { size: 1024, distance: 'Cosine', on_disk: false }, shard_number: 6, replication_factor: 2, write_consistency_factor: 1 },
      },
    ]);
    expect(specOf(workloads).tenantIndex).toEqual({ field_name: 'tenant_id', field_schema: { type: 'keyword', is_tenant: true } });
  });

  test('the Job waits for Qdrant, reads the admin key by reference, runs the pinned python from the mirror, and Terraform waits for it', () => {
    const job = jobOf(workloads);
    expect(job.wait_for_completion).toBe(true);
    expect(job.metadata.namespace).toBe('vectordb');
    expect(job.metadata.name).toMatch(/^qdrant-collections-[0-9a-f]{8}$/);
    const container = job.spec.template.spec.container[0];
    expect(container.image).toBe('111122223333.dkr.ecr.me-central-1.amazonaws.com/mirror/library/python:3.13.9-slim');
    expect(container.env).toContainEqual({ name: 'QDRANT_API_KEY', value_from: { secret_key_ref: { name: 'qdrant-api-key', key: 'api-key' } } });
    expect(container.env).toContainEqual({ name: 'QDRANT_URL', value: 'http://qdrant.vectordb.svc.cluster.local:6333' });
    expect(JSON.stringify(job.depends_on)).toContain('helm_release');
  });

  test('Qdrant gets its keys as secretKeyRef env, not through the chart lookup', () => {
    const [, release] = resourcesOf(workloads, 'helm_release').find(([, r]) => r.name === 'qdrant')!;
    const values = JSON.parse(release.values[0]);
    expect(values.apiKey).toBeUndefined();
    expect(values.readOnlyApiKey).toBeUndefined();
    expect(values.env).toEqual([
      { name: 'QDRANT__SERVICE__API_KEY', valueFrom: { secretKeyRef: { name: 'qdrant-api-key', key: 'api-key' } } },
      { name: 'QDRANT__SERVICE__READ_ONLY_API_KEY', valueFrom: { secretKeyRef: { name: 'qdrant-api-key', key: 'read-only-api-key' } } },
    ]);
  });

  test('the Job may reach Qdrant REST (and Qdrant admits it)', () => {
    const policies = resourcesOf(stackOf(stacks, '-addons'), 'kubernetes_network_policy_v1').map(([, p]) => p.metadata.name);
    expect(policies).toEqual(expect.arrayContaining(['allow-qdrant-collections-to-qdrant-egress', 'allow-qdrant-collections-to-qdrant-ingress']));
  });
});

test('above 50M expected vectors the collections are int8-quantized with originals on disk; a changed spec renames the Job', () => {
  const input = awsExampleInput();
  const before = jobOf(stackOf(synthExample(AWS_EXAMPLE).stacks, '-workloads')).metadata.name;
  input.components.qdrant.expectedVectors = 80_000_000;
  input.components.qdrant.collections = [{ name: 'documents' }, { name: 'legal', distance: 'Dot' }];
  const workloads = stackOf(synthEnvironment(configFrom(input)).stacks, '-workloads');
  const collections = specOf(workloads).collections;
  expect(collections.map((c: any) => [c.name, c.create.vectors.distance])).toEqual([['documents', 'Cosine'], ['legal', 'Dot']]);
  for (const c of collections) {
    expect(c.create.quantization_config).toEqual({ scalar: { type: 'int8', always_ram: true } });
    expect(c.create.vectors.on_disk).toBe(true);
  }
  expect(jobOf(workloads).metadata.name).not.toBe(before);
});

describe('config rules', () => {
  test('a tenant corpus must be a configured collection', () => {
    const input = awsExampleInput();
    input.tenants[0].corpora = ['documents', 'archive'];
    expect(problemLines(input)).toEqual(['env.yaml: tenants[0].corpora[1]: archive is not a collection in components.qdrant.collections (allowed: documents)']);
  });

  test('an embedding model we do not know needs its dimensions declared', () => {
    const input = awsExampleInput();
    input.components.tei.modelId = 'acme/arabic-embed';
    expect(problemLines(input)).toEqual(["env.yaml: components.tei.dimensions: is required for acme/arabic-embed: the collections' vector size is the model's embedding size"]);
    input.components.tei.dimensions = 768;
    expect(problemLines(input)).toEqual([]);
  });
});

test('the collection script is valid Python', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qdrant-script-'));
  writeFileSync(join(dir, 'collections.py'), QDRANT_COLLECTIONS_SCRIPT);
  execFileSync('python3', ['-m', 'py_compile', join(dir, 'collections.py')]);
});

/**
 * The script against an in-memory stand-in for Qdrant's REST API (the endpoints it calls, with Qdrant's
 * response shapes): first run creates, second run changes nothing, a changed shard count fails.
 */
const FAKE_QDRANT = String.raw`
import json, subprocess, sys, threading
from http.server import BaseHTTPRequestHandler, HTTPServer
collections, calls = {}, []
class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args): pass
    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status); self.send_header("content-type", "application/json"); self.end_headers(); self.wfile.write(data)
    def body(self):
        return json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
    def handle_any(self):
        if self.headers.get("api-key") != "admin": return self.reply(401, {"status": {"error": "unauthorized"}})
        parts = self.path.split("?")[0].strip("/").split("/")
        calls.append(self.command + " /" + "/".join(parts))
        name = parts[1]
        if self.command == "GET":
            if name not in collections: return self.reply(404, {"status": {"error": "not found"}})
            c = collections[name]
            params = {k: c[k] for k in ("shard_number", "replication_factor", "write_consistency_factor")}
            params["vectors"] = c["vectors"]
            return self.reply(200, {"result": {"config": {"params": params, "quantization_config": c.get("quantization_config")}}})
        if self.command == "PUT" and len(parts) == 2: collections[name] = self.body(); return self.reply(200, {"result": True})
        if self.command == "PATCH": collections[name].update(self.body()); return self.reply(200, {"result": True})
        if self.command == "PUT" and parts[2] == "index": self.body(); return self.reply(200, {"result": {"status": "completed"}})
        self.reply(400, {})
    do_GET = do_PUT = do_PATCH = handle_any
server = HTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
env = {"QDRANT_URL": "http://127.0.0.1:%d" % server.server_port, "QDRANT_API_KEY": "admin", "PATH": "/usr/bin:/bin"}
runs = []
for spec in sys.argv[2:]:
    calls.clear()
    p = subprocess.run([sys.executable, sys.argv[1], spec], env=env, capture_output=True, text=True)
    runs.append({"code": p.returncode, "out": p.stdout, "err": p.stderr, "calls": list(calls)})
print(json.dumps(runs))
`;

test('the script is idempotent and refuses in-place changes it cannot make (against a stand-in Qdrant API)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qdrant-fake-'));
  writeFileSync(join(dir, 'fake.py'), FAKE_QDRANT);
  writeFileSync(join(dir, 'collections.py'), QDRANT_COLLECTIONS_SCRIPT);
  const workloads = stackOf(synthExample(AWS_EXAMPLE).stacks, '-workloads');
  const spec = specOf(workloads);
  writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
  const reshard = { ...spec, collections: spec.collections.map((c: any) => ({ ...c, create: { ...c.create, shard_number: 9 } })) };
  writeFileSync(join(dir, 'reshard.json'), JSON.stringify(reshard));
  const runs = JSON.parse(execFileSync('python3', [join(dir, 'fake.py'), join(dir, 'collections.py'), join(dir, 'spec.json'), join(dir, 'spec.json'), join(dir, 'reshard.json')], { encoding: 'utf8' }));
  expect(runs[0]).toMatchObject({ code: 0, calls: ['GET /collections/documents', 'PUT /collections/documents', 'PUT /collections/documents/index'] });
  expect(runs[0].out).toContain('documents: created');
  expect(runs[1]).toMatchObject({ code: 0, calls: ['GET /collections/documents', 'PUT /collections/documents/index'] });
  expect(runs[2].code).toBe(1);
  expect(runs[2].err).toContain('documents: shard_number is 6, config says 9');
});
