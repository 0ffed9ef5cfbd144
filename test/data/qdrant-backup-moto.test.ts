/**
 * The Qdrant backup CronJob's script, run for real: QDRANT_BACKUP_SCRIPT (the exact string the ConfigMap
 * carries) under python3, against two fake Qdrant peers (a small HTTP server implementing the snapshot
 * endpoints the script calls: list collections, create, download, delete, upload-recover) and an S3 API
 * served by moto, through the real `aws` CLI (PyPI awscli, pinned by scripts/ci/install-awscli.sh).
 *
 * Proves: every peer x collection lands at `qdrant/<peer>/<collection>/<UTC stamp>.snapshot` with the
 * peer's bytes, nothing is left on the peers or the staging directory, pruning removes only old snapshots
 * this job wrote (never the newest of a peer/collection, never other keys), a run with a failed snapshot
 * prunes nothing and fails, and `restore latest` uploads each peer's own file back to that peer with
 * `priority=snapshot`. Not proved here: Pod Identity / Azure workload identity, SSE-KMS with the storage
 * CMK (moto does not enforce key policies), the `az` path, and Qdrant's own recovery semantics.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { installVenv, Moto, startMoto } from '../moto';
import { QDRANT_BACKUP_SCRIPT } from '../../lib/components/qdrant-backup-script';

const BUCKET = 'gccdata-platform';
const REGION = 'me-central-1';
const API_KEY = 'test-admin-key';
const STAMP = /^\d{8}T\d{6}Z$/;

interface Upload {
  collection: string;
  query: string;
  bytes: Buffer;
}

/** One fake Qdrant peer: collections with some bytes, the snapshot endpoints, a record of uploads. */
class FakePeer {
  readonly snapshots = new Map<string, Buffer>();
  readonly uploads: Upload[] = [];
  failCreate = false;
  private server?: http.Server;
  url = '';

  constructor(
    readonly name: string,
    readonly collections: Map<string, string>,
  ) {}

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  stop(): void {
    this.server?.close();
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const reply = (status: number, result: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status === 200 ? { result, status: 'ok' } : { status: { error: result } }));
    };
    if (req.headers['api-key'] !== API_KEY) return reply(401, 'missing or wrong api-key');
    const url = new URL(req.url ?? '/', this.url);
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (req.method === 'GET' && url.pathname === '/collections') {
      return reply(200, { collections: [...this.collections.keys()].map((name) => ({ name })) });
    }
    const [root, collection, snapshots, name] = parts;
    if (root !== 'collections' || snapshots !== 'snapshots') return reply(404, `no route ${req.method} ${url.pathname}`);
    if (req.method === 'POST' && name === 'upload') {
      this.uploads.push({ collection, query: url.search, bytes: multipartFile(body, req.headers['content-type'] ?? '') });
      return reply(200, true);
    }
    if (!this.collections.has(collection)) return reply(404, `collection ${collection} not found`);
    if (req.method === 'POST' && name === undefined) {
      if (this.failCreate) return reply(500, 'no space left on device');
      const bytes = Buffer.from(`${this.name}/${collection}: ${this.collections.get(collection)}`);
      const snapshot = `${collection}-${this.name}-${this.snapshots.size}.snapshot`;
      this.snapshots.set(`${collection}/${snapshot}`, bytes);
      return reply(200, { name: snapshot, size: bytes.length, checksum: createHash('sha256').update(bytes).digest('hex') });
    }
    const stored = this.snapshots.get(`${collection}/${name}`);
    if (stored === undefined) return reply(404, `snapshot ${name} not found`);
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': stored.length });
      return void res.end(stored);
    }
    if (req.method === 'DELETE') {
      this.snapshots.delete(`${collection}/${name}`);
      return reply(200, true);
    }
    return reply(405, `${req.method} not implemented`);
  }
}

/** The file part of a multipart/form-data body (one part, as the script sends it). */
function multipartFile(body: Buffer, contentType: string): Buffer {
  const boundary = /boundary=(.+)$/.exec(contentType)?.[1];
  if (!boundary) throw new Error(`not multipart: ${contentType}`);
  const start = body.indexOf('\r\n\r\n') + 4;
  const end = body.lastIndexOf(`\r\n--${boundary}--`);
  return body.subarray(start, end);
}

const stampDaysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

describe('Qdrant snapshots -> S3 (moto) through the aws CLI, retention, restore', () => {
  let moto: Moto | undefined;
  let awsBin: string;
  let work: string;
  let staging: string;
  let script: string;
  let spec: string;
  const peers = [
    new FakePeer('qdrant-0', new Map([['documents', 'vectors of peer 0'], ['faq', 'faq shard on peer 0']])),
    new FakePeer('qdrant-1', new Map([['documents', 'vectors of peer 1'], ['faq', 'faq shard on peer 1']])),
  ];

  const env = (): NodeJS.ProcessEnv => ({
    PATH: `${awsBin}:${process.env.PATH}`,
    HOME: work,
    AWS_ENDPOINT_URL: moto?.endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    QDRANT_API_KEY: API_KEY,
    OBJECT_STORAGE_KIND: 's3',
    OBJECT_STORAGE_BUCKET: BUCKET,
    OBJECT_STORAGE_ENDPOINT: REGION,
    WORK_DIR: staging,
  });

  function aws(...args: string[]): string {
    const res = spawnSync(path.join(awsBin, 'aws'), [...args, '--region', REGION], { env: env(), encoding: 'utf8', timeout: 60_000 });
    if (res.status !== 0) throw new Error(`aws ${args.join(' ')} failed (exit ${res.status}):\n${res.stderr}`);
    return res.stdout;
  }

  function keys(): string[] {
    return (JSON.parse(aws('s3api', 'list-objects-v2', '--bucket', BUCKET, '--query', 'Contents[].Key', '--output', 'json')) ?? []).sort();
  }

  const put = (key: string, text: string) => {
    const file = path.join(work, 'seed');
    writeFileSync(file, text);
    aws('s3', 'cp', '--only-show-errors', file, `s3://${BUCKET}/${key}`);
  };

  /** Runs the script asynchronously: the fake peers answer from this process's event loop. */
  const runScript = (...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> =>
    new Promise((resolve, reject) => {
      const child = spawn('python3', [script, spec, ...args], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('error', reject);
      child.on('close', (status) => {
        clearTimeout(timer);
        resolve({ status, stdout, stderr });
      });
    });

  beforeAll(async () => {
    const motoVenv = installVenv('install-moto.sh');
    awsBin = path.join(installVenv('install-awscli.sh'), 'bin');
    moto = await startMoto(motoVenv);
    work = mkdtempSync(path.join(os.tmpdir(), 'qdrant-backup-'));
    staging = mkdtempSync(path.join(work, 'staging-'));
    script = path.join(work, 'qdrant-backup.py');
    writeFileSync(script, QDRANT_BACKUP_SCRIPT);
    for (const peer of peers) await peer.start();
    spec = path.join(work, 'backup.json');
    writeFileSync(spec, JSON.stringify({ peers: peers.map((p) => ({ name: p.name, url: p.url })), prefix: 'qdrant/', retentionDays: 7 }));
    aws('s3api', 'create-bucket', '--bucket', BUCKET, '--create-bucket-configuration', `LocationConstraint=${REGION}`);
  }, 600_000);

  afterAll(() => {
    peers.forEach((peer) => peer.stop());
    moto?.stop();
  });

  const recent = `qdrant/qdrant-0/documents/${stampDaysAgo(1)}.snapshot`;
  const old = 'qdrant/qdrant-0/documents/20200101T000000Z.snapshot';
  const onlyOfItsCollection = 'qdrant/qdrant-1/retired/20200101T000000Z.snapshot';
  const foreign = ['qdrant/README.txt', 'langfuse/events/old.json'];

  test('backup: every peer x collection at qdrant/<peer>/<collection>/<stamp>.snapshot; old snapshots pruned, nothing else', async () => {
    for (const key of [recent, old, onlyOfItsCollection, ...foreign]) put(key, 'seeded');
    const res = await runScript('backup');
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);

    const after = keys();
    const written = after.filter((key) => ![recent, onlyOfItsCollection, ...foreign].includes(key));
    expect(written.map((key) => key.replace(/[^/]+\.snapshot$/, ''))).toEqual([
      'qdrant/qdrant-0/documents/',
      'qdrant/qdrant-0/faq/',
      'qdrant/qdrant-1/documents/',
      'qdrant/qdrant-1/faq/',
    ]);
    // Each object holds the bytes of its own peer's snapshot.
    const copy = mkdtempSync(path.join(work, 'copy-'));
    aws('s3', 'cp', '--recursive', '--only-show-errors', `s3://${BUCKET}/qdrant/`, copy);
    for (const key of written) {
      expect(path.basename(key, '.snapshot')).toMatch(STAMP);
      const [, peer, collection] = key.split('/');
      expect(readFileSync(path.join(copy, key.slice('qdrant/'.length)), 'utf8')).toBe(`${peer}/${collection}: ${peers.find((p) => p.name === peer)!.collections.get(collection)}`);
    }
    // Pruned: only the old snapshot that is not the newest of its peer/collection.
    expect(after).not.toContain(old);
    expect(after).toEqual(expect.arrayContaining([recent, onlyOfItsCollection, ...foreign]));
    // Nothing left behind on the peers or in the staging directory.
    expect(peers.map((peer) => peer.snapshots.size)).toEqual([0, 0]);
    expect(readdirSync(staging)).toEqual([]);
    expect(res.stdout).toContain(`pruned ${old}`);
  });

  test('a run with a failed snapshot fails and prunes nothing', async () => {
    const older = 'qdrant/qdrant-0/faq/20200102T000000Z.snapshot';
    put(older, 'seeded');
    peers[1].failCreate = true;
    try {
      const res = await runScript('backup');
      expect(res.status).not.toBe(0);
      expect(res.stderr).toContain('backup incomplete, nothing pruned');
      expect(res.stderr).toContain('qdrant-1/documents: POST');
      expect(keys()).toContain(older);
    } finally {
      peers[1].failCreate = false;
    }
    expect(peers.map((peer) => peer.snapshots.size)).toEqual([0, 0]);
  });

  test('restore latest: each peer gets its own snapshot back through upload-recover with priority=snapshot', async () => {
    // A fresh run, so `latest` is a complete set for both peers.
    await new Promise((r) => setTimeout(r, 1100));
    expect((await runScript('backup')).status).toBe(0);
    const res = await runScript('restore', 'latest');
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    for (const peer of peers) {
      expect(peer.uploads.map((u) => [u.collection, u.query, u.bytes.toString()]).sort()).toEqual(
        [...peer.collections].map(([collection, data]) => [collection, '?priority=snapshot&wait=true', `${peer.name}/${collection}: ${data}`]).sort(),
      );
    }
    expect(readdirSync(staging)).toEqual([]);
  });

  test('restore of a stamp that does not exist says so and uploads nothing', async () => {
    const before = peers.map((peer) => peer.uploads.length);
    const res = await runScript('restore', '19990101T000000Z');
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain('no snapshots with stamp 19990101T000000Z');
    expect(peers.map((peer) => peer.uploads.length)).toEqual(before);
  });
});
