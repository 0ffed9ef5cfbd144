/**
 * The ClickHouse backup CronJob's scripts, run for real: CLICKHOUSE_DUMP_SCRIPT (sh + clickhouse-client)
 * against a local clickhouse-server (Debian's 18.16 package, started here on 127.0.0.1 with a temporary
 * config, non-default ports and temporary directories), and CLICKHOUSE_STORE_SCRIPT (python3) against an
 * S3 API served by moto through the real `aws` CLI (PyPI awscli, pinned by scripts/ci/install-awscli.sh).
 *
 * Proves: every table lands at `clickhouse/<stamp>/<db>/<table>.{sql,native}` (views: DDL only), the
 * manifest is written, old stamps are pruned (never the newest complete one, never other keys), and after
 * dropping everything `download latest` + `load` gives back the same rows (count and a hash over every
 * column) and the views; a load into a table that still holds rows refuses. Not proved here: the 26.4 server
 * of the cluster (the client flags and queries used exist in both), replication (inserts go to one
 * replica, ReplicatedMergeTree copies them), Pod Identity / Azure workload identity, SSE-KMS, the `az` path.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, installVenv, Moto, startMoto } from '../moto';
import { CLICKHOUSE_DUMP_SCRIPT, CLICKHOUSE_STORE_SCRIPT } from '../../lib/components/clickhouse-backup-script';

const BUCKET = 'gccdata-platform';
const REGION = 'me-central-1';
const PASSWORD = 'test-clickhouse-password';
const STAMP = /^\d{8}T\d{6}Z$/;
// Debian installs the server under /usr/sbin, which a non-root PATH may lack.
const SERVER_PATH = `${process.env.PATH}:/usr/sbin:/usr/local/sbin`;

const stampDaysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

describe('ClickHouse tables -> S3 (moto) through clickhouse-client and the aws CLI, retention, restore', () => {
  let moto: Moto | undefined;
  let server: ChildProcess | undefined;
  let awsBin: string;
  let work: string;
  let staging: string;
  let port: number;
  const scripts = { dump: '', store: '', spec: '' };

  const env = (): NodeJS.ProcessEnv => ({
    PATH: `${awsBin}:${process.env.PATH}`,
    HOME: work,
    AWS_ENDPOINT_URL: moto?.endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    OBJECT_STORAGE_KIND: 's3',
    OBJECT_STORAGE_BUCKET: BUCKET,
    OBJECT_STORAGE_ENDPOINT: REGION,
    WORK_DIR: staging,
    CLICKHOUSE_HOST: '127.0.0.1',
    CLICKHOUSE_PORT: String(port),
    CLICKHOUSE_USER: 'default',
    CLICKHOUSE_PASSWORD: PASSWORD,
  });

  function run(command: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
    const res = spawnSync(command, args, { env: env(), encoding: 'utf8', timeout: 120_000 });
    return { status: res.status, stdout: res.stdout, stderr: res.stderr };
  }

  function must(command: string, args: string[]): string {
    const res = run(command, args);
    if (res.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${res.status}):\n${res.stderr}`);
    return res.stdout;
  }

  const sql = (query: string) => must('clickhouse-client', ['--host', '127.0.0.1', '--port', String(port), '--password', PASSWORD, '--query', query]).trim();
  const aws = (...args: string[]) => must(path.join(awsBin, 'aws'), [...args, '--region', REGION]);
  const keys = (): string[] => (JSON.parse(aws('s3api', 'list-objects-v2', '--bucket', BUCKET, '--query', 'Contents[].Key', '--output', 'json')) ?? []).sort();
  const put = (key: string, text: string) => {
    const file = path.join(work, 'seed');
    writeFileSync(file, text);
    aws('s3', 'cp', '--only-show-errors', file, `s3://${BUCKET}/${key}`);
  };
  const fingerprint = () => ({
    traces: sql('SELECT count(), sum(cityHash64(id, ts, value)), groupBitXor(cityHash64(id, ts, value)) FROM app.traces'),
    scores: sql('SELECT count(), sum(cityHash64(trace, score)) FROM default.scores'),
    perDay: sql('SELECT day, sum(n) FROM app.per_day GROUP BY day ORDER BY day'),
    view: sql('SELECT count() FROM app.trace_ids'),
  });

  beforeAll(async () => {
    const motoVenv = installVenv('install-moto.sh');
    awsBin = path.join(installVenv('install-awscli.sh'), 'bin');
    moto = await startMoto(motoVenv);
    work = mkdtempSync(path.join(os.tmpdir(), 'clickhouse-backup-'));
    staging = mkdtempSync(path.join(work, 'staging-'));
    scripts.dump = path.join(work, 'clickhouse-backup.sh');
    scripts.store = path.join(work, 'clickhouse-store.py');
    scripts.spec = path.join(work, 'backup.json');
    writeFileSync(scripts.dump, CLICKHOUSE_DUMP_SCRIPT);
    writeFileSync(scripts.store, CLICKHOUSE_STORE_SCRIPT);
    writeFileSync(scripts.spec, JSON.stringify({ prefix: 'clickhouse/', retentionDays: 7 }));
    aws('s3api', 'create-bucket', '--bucket', BUCKET, '--create-bucket-configuration', `LocationConstraint=${REGION}`);

    // A throwaway server: CI installs Debian's clickhouse-server (.ci/run); without it this test fails.
    port = await freePort();
    const dir = path.join(work, 'server');
    for (const sub of ['data', 'tmp', 'log']) mkdirSync(path.join(dir, sub), { recursive: true });
    writeFileSync(
      path.join(dir, 'config.xml'),
      `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/log/server.log</log><errorlog>${dir}/log/error.log</errorlog><console>0</console></logger>
  <listen_host>127.0.0.1</listen_host>
  <tcp_port>${port}</tcp_port>
  <http_port>${await freePort()}</http_port>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <mark_cache_size>5368709120</mark_cache_size>
  <users><default><password>${PASSWORD}</password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <profiles><default/></profiles>
  <quotas><default/></quotas>
</yandex>
`,
    );
    server = spawn('clickhouse-server', [`--config-file=${dir}/config.xml`], { cwd: dir, stdio: 'ignore', env: { PATH: SERVER_PATH } });
    for (let i = 0; ; i++) {
      if (run('clickhouse-client', ['--host', '127.0.0.1', '--port', String(port), '--password', PASSWORD, '--query', 'SELECT 1']).status === 0) break;
      if (i > 60) throw new Error(`clickhouse-server did not answer on ${port}; see ${dir}/log`);
      await new Promise((r) => setTimeout(r, 500));
    }
    sql('CREATE DATABASE app');
    sql('CREATE TABLE app.traces (id String, ts DateTime, value Float64) ENGINE = MergeTree ORDER BY id');
    sql('CREATE TABLE app.per_day (day Date, n UInt64) ENGINE = SummingMergeTree ORDER BY day');
    sql('CREATE MATERIALIZED VIEW app.per_day_mv TO app.per_day AS SELECT toDate(ts) AS day, count() AS n FROM app.traces GROUP BY day');
    sql('CREATE VIEW app.trace_ids AS SELECT id FROM app.traces');
    sql('CREATE TABLE default.scores (trace String, score Float32) ENGINE = MergeTree ORDER BY trace');
    sql("INSERT INTO app.traces SELECT concat('t-', toString(number)), toDateTime(1700000000 + number * 37), number / 7 FROM system.numbers LIMIT 20000");
    // Langfuse's migration bookkeeping (golang-migrate): refilled by Langfuse at start before a restore.
    sql('CREATE TABLE default.schema_migrations (version Int64, dirty UInt8) ENGINE = MergeTree ORDER BY version');
    sql('INSERT INTO default.schema_migrations VALUES (1, 0), (2, 0)');
    sql("INSERT INTO default.scores SELECT concat('t-', toString(number)), number % 5 FROM system.numbers LIMIT 3000");
  }, 600_000);

  afterAll(() => {
    server?.kill('SIGTERM');
    moto?.stop();
  });

  const old = 'clickhouse/20200101T000000Z/';
  const foreign = ['clickhouse/README.txt', 'langfuse/events/old.json'];

  test('backup: every table at clickhouse/<stamp>/<db>/<table>.{sql,native}, manifest last; old stamps pruned, nothing else', () => {
    for (const key of [`${old}app/traces.native`, `${old}manifest.json`, ...foreign]) put(key, 'seeded');
    const dump = run('sh', [scripts.dump, 'dump']);
    expect(dump.stderr).toBe('');
    expect(dump.status).toBe(0);
    const store = run('python3', [scripts.store, scripts.spec, 'backup']);
    expect(store.stderr).toBe('');
    expect(store.status).toBe(0);

    const after = keys();
    const written = after.filter((key) => !foreign.includes(key));
    const stamp = written[0].split('/')[1];
    expect(stamp).toMatch(STAMP);
    expect(written).toEqual(
      [
        'app/per_day.native',
        'app/per_day.sql',
        'app/per_day_mv.sql',
        'app/trace_ids.sql',
        'app/traces.native',
        'app/traces.sql',
        'default/schema_migrations.native',
        'default/schema_migrations.sql',
        'default/scores.native',
        'default/scores.sql',
        'manifest.json',
      ].map((rel) => `clickhouse/${stamp}/${rel}`),
    );
    expect(after).toEqual(expect.arrayContaining(foreign));
    expect(store.stdout).toContain(`pruned ${old}`);
    expect(readdirSync(staging).filter((f) => f.endsWith('.native') || f.endsWith('.sql'))).toEqual([]);
  });

  test('restore: after dropping everything, download latest + load gives back the same rows and views', () => {
    const before = fingerprint();
    expect(before.traces.startsWith('20000\t')).toBe(true);
    for (const table of ['app.trace_ids', 'app.per_day_mv', 'app.per_day', 'app.traces', 'default.scores']) sql(`DROP TABLE ${table}`);
    // As after Langfuse's first start on a new cluster: the migrations table exists and is filled.
    sql('TRUNCATE TABLE default.schema_migrations');
    sql('INSERT INTO default.schema_migrations VALUES (1, 0), (2, 0), (3, 0)');
    const fresh = mkdtempSync(path.join(work, 'restore-'));
    staging = fresh;
    const download = run('python3', [scripts.store, scripts.spec, 'download', 'latest']);
    expect(download.stderr).toBe('');
    expect(download.status).toBe(0);
    const load = run('sh', [scripts.dump, 'load']);
    expect(load.stderr).toBe('');
    expect(load.status).toBe(0);
    expect(load.stdout).toContain('restored app.traces: 20000 rows');
    expect(load.stdout).toContain('kept default.schema_migrations');
    expect(sql('SELECT count() FROM default.schema_migrations')).toBe('3');
    expect(fingerprint()).toEqual(before);
    // The materialized view is back and live: new rows reach its target.
    sql("INSERT INTO app.traces VALUES ('late', 1800000000, 1)");
    expect(sql("SELECT sum(n) FROM app.per_day WHERE day = toDate(toDateTime(1800000000))")).toBe('1');
  });

  test('load refuses to insert into a table that already holds rows', () => {
    const res = run('sh', [scripts.dump, 'load']);
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain('already holds');
    expect(sql('SELECT count() FROM default.scores')).toBe('3000');
  });

  test('download of a stamp that does not exist (or has no manifest) says so', () => {
    put(`clickhouse/${stampDaysAgo(1)}/app/traces.native`, 'partial run');
    const res = run('python3', [scripts.store, scripts.spec, 'download', '19990101T000000Z']);
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain('no complete backup with stamp 19990101T000000Z');
  });
});
