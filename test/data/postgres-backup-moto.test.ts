/**
 * A Postgres backup that has been restored: Debian's PostgreSQL server on 127.0.0.1, continuous WAL
 * archiving and base backups with barman's cloud tools (what CloudNativePG runs in its Postgres pods for a
 * Cluster's `backup.barmanObjectStore`) into an S3 bucket served by moto, retention pruning with
 * barman-cloud-backup-delete (what CloudNativePG runs for `retentionPolicy`), then a restore of the newest
 * base backup plus the archived WAL into a fresh data directory that gives back the same rows.
 *
 * Needs: the Debian `postgresql` package (.ci/run installs it), moto and barman[cloud] (installed into
 * .tools/ by scripts/ci/install-moto.sh and scripts/ci/install-barman.sh). Without a Postgres server the
 * suite is skipped with a loud warning. Run as root, the servers run as the `postgres` user (Postgres
 * refuses root).
 */
import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync, appendFileSync, chmodSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, installVenv, Moto, startMoto } from '../moto';

const BUCKET = 'gccdata-platform';
const REGION = 'me-central-1';
// The Cluster's destinationPath and serverName: barman writes <destination>/<server>/base/<backup id>/
// and <destination>/<server>/wals/<timeline+log>/.
const DESTINATION = `s3://${BUCKET}/postgres`;
const SERVER = 'litellm-postgres';

/** The newest Debian PostgreSQL bin directory (/usr/lib/postgresql/<major>/bin), if installed. */
function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root).filter((d) => existsSync(path.join(root, d, 'bin', 'initdb')));
  majors.sort((a, b) => Number(a) - Number(b));
  return majors.length > 0 ? path.join(root, majors[majors.length - 1], 'bin') : undefined;
}

const PG_BIN = postgresBin();
if (!PG_BIN) {
  console.warn(
    `\n${'!'.repeat(78)}\n!! SKIPPING test/data/postgres-backup-moto.test.ts: no PostgreSQL server under ` +
      `/usr/lib/postgresql (apt-get install postgresql).\n!! The Postgres backup -> restore round trip did NOT run.\n${'!'.repeat(78)}\n`,
  );
}
const describeIfPostgres = PG_BIN ? describe : describe.skip;
const isRoot = process.getuid?.() === 0;

describeIfPostgres('Postgres: WAL archive + base backups to S3 (moto), retention, restore gives the same rows', () => {
  let moto: Moto | undefined;
  let barman: string;
  let motoVenv: string;
  let work: string;
  let env: NodeJS.ProcessEnv;
  const servers: string[] = [];

  /** Runs a command (as the postgres user when we are root); throws with its output on failure. */
  function run(cmd: string, args: string[]): string {
    const [file, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
    const res: SpawnSyncReturns<string> = spawnSync(file, argv, { env, encoding: 'utf8', cwd: work, timeout: 120_000 });
    if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${res.status}):\n${res.stdout}\n${res.stderr}`);
    return res.stdout;
  }

  const tool = (name: string): string => path.join(barman, 'bin', name);
  const s3Args = (): string[] => ['--endpoint-url', moto?.endpoint ?? '', '--cloud-provider', 'aws-s3'];

  function sql(port: number, query: string): string {
    return run(path.join(PG_BIN ?? '', 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-XAtq', '-v', 'ON_ERROR_STOP=1', '-c', query]).trim();
  }

  function startServer(dataDir: string, port: number): void {
    run(path.join(PG_BIN ?? '', 'pg_ctl'), ['-D', dataDir, '-l', `${dataDir}.log`, '-w', '-t', '60', '-o', `-p ${port}`, 'start']);
    servers.push(dataDir);
  }

  /** Object keys in the bucket under `prefix` (boto3 from moto's venv). */
  function keys(prefix: string): string[] {
    const script = `
import os, boto3
s3 = boto3.client("s3", endpoint_url=os.environ["MOTO_URL"], region_name="${REGION}")
for page in s3.get_paginator("list_objects_v2").paginate(Bucket="${BUCKET}", Prefix=os.environ["PREFIX"]):
    for o in page.get("Contents", []):
        print(o["Key"])
`;
    const res = spawnSync(path.join(motoVenv, 'bin', 'python'), ['-c', script], { env: { ...env, MOTO_URL: moto?.endpoint, PREFIX: prefix }, encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`listing s3://${BUCKET}/${prefix} failed:\n${res.stderr}`);
    return res.stdout.split('\n').filter((k) => k.length > 0);
  }

  const backupIds = (): string[] =>
    [...new Set(keys(`postgres/${SERVER}/base/`).map((k) => k.split('/')[3]))].sort();

  /** The rows that matter, as one comparable fingerprint. */
  const fingerprint = (port: number): string =>
    sql(port, "SELECT count(*) || ':' || md5(string_agg(id || '|' || key || '|' || spend, ',' ORDER BY id)) FROM budgets");

  /** Waits until the server has archived the WAL segment it was writing when called (after a switch). */
  async function waitForArchive(port: number): Promise<void> {
    const segment = sql(port, 'SELECT pg_walfile_name(pg_switch_wal())');
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const archived = sql(port, "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver");
      if (archived >= segment) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`WAL segment ${segment} was not archived within 60 s`);
  }

  beforeAll(async () => {
    motoVenv = installVenv('install-moto.sh');
    barman = installVenv('install-barman.sh');
    moto = await startMoto(motoVenv);
    env = {
      PATH: process.env.PATH ?? '',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_DEFAULT_REGION: REGION,
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    work = mkdtempSync(path.join(os.tmpdir(), 'pg-backup-'));
    if (isRoot) {
      const ids = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
      const uid = Number(ids.stdout.trim());
      chownSync(work, uid, uid);
    }
    chmodSync(work, 0o700);
    const create = spawnSync(
      path.join(motoVenv, 'bin', 'python'),
      ['-c', `import boto3; boto3.client("s3", endpoint_url="${moto.endpoint}", region_name="${REGION}").create_bucket(Bucket="${BUCKET}", CreateBucketConfiguration={"LocationConstraint": "${REGION}"})`],
      { env, encoding: 'utf8' },
    );
    if (create.status !== 0) throw new Error(`create bucket failed:\n${create.stderr}`);
  });

  afterAll(() => {
    for (const dataDir of servers.reverse()) {
      try {
        run(path.join(PG_BIN ?? '', 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already stopped
      }
    }
    moto?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('three base backups, REDUNDANCY 2 prunes the oldest, restore of the newest + WAL = source rows', async () => {
    const source = path.join(work, 'source');
    const port = await freePort();
    run(path.join(PG_BIN ?? '', 'initdb'), ['-D', source, '-A', 'trust', '-U', 'postgres']);
    const archive = [tool('barman-cloud-wal-archive'), ...s3Args(), DESTINATION, SERVER, '%p'].join(' ');
    appendFileSync(
      path.join(source, 'postgresql.conf'),
      [
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${work}'`,
        'wal_level = replica',
        'archive_mode = on',
        `archive_command = '${archive}'`,
        '',
      ].join('\n'),
    );
    startServer(source, port);
    sql(port, 'CREATE TABLE budgets (id int PRIMARY KEY, key text NOT NULL, spend numeric NOT NULL)');

    const backup = (): void => {
      run(tool('barman-cloud-backup'), [...s3Args(), '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', DESTINATION, SERVER]);
    };
    for (const batch of [0, 1, 2]) {
      sql(port, `INSERT INTO budgets SELECT g, 'key-' || g, g * 1.25 FROM generate_series(${batch * 100 + 1}, ${batch * 100 + 100}) g`);
      backup();
    }
    expect(backupIds()).toHaveLength(3);
    const oldest = backupIds()[0];
    // Rows written after the last base backup live only in the archived WAL: the restore must replay it.
    sql(port, "INSERT INTO budgets VALUES (1001, 'after-last-backup', 42), (1002, 'after-last-backup', 43)");
    await waitForArchive(port);

    const wal = keys(`postgres/${SERVER}/wals/`);
    expect(wal.length).toBeGreaterThan(0);
    expect(wal.every((k) => /^postgres\/litellm-postgres\/wals\/[0-9A-F]{16}\/[0-9A-F]{24}/.test(k))).toBe(true);
    expect(keys(`postgres/${SERVER}/base/${oldest}/`)).toEqual(
      expect.arrayContaining([`postgres/${SERVER}/base/${oldest}/backup.info`, `postgres/${SERVER}/base/${oldest}/data.tar`]),
    );

    // Retention: keep the two newest base backups; the oldest and the WAL only it needed go.
    const walBefore = wal.length;
    run(tool('barman-cloud-backup-delete'), [...s3Args(), '--retention-policy', 'REDUNDANCY 2', DESTINATION, SERVER]);
    const kept = backupIds();
    expect(kept).toHaveLength(2);
    expect(kept).not.toContain(oldest);
    expect(keys(`postgres/${SERVER}/base/${oldest}/`)).toEqual([]);
    expect(keys(`postgres/${SERVER}/wals/`).length).toBeLessThan(walBefore);

    // Restore into a new data directory, as a new CloudNativePG Cluster's bootstrap.recovery does.
    const expected = fingerprint(port);
    expect(expected.startsWith('302:')).toBe(true);
    const restored = path.join(work, 'restored');
    run(tool('barman-cloud-restore'), [...s3Args(), DESTINATION, SERVER, 'latest', restored]);
    chmodSync(restored, 0o700);
    const walRestore = [tool('barman-cloud-wal-restore'), ...s3Args(), DESTINATION, SERVER, '%f', '%p'].join(' ');
    appendFileSync(
      path.join(restored, 'postgresql.conf'),
      [`restore_command = '${walRestore}'`, "recovery_target_action = 'promote'", 'archive_mode = off', ''].join('\n'),
    );
    writeFileSync(path.join(restored, 'recovery.signal'), '');
    if (isRoot) spawnSync('chown', ['-R', 'postgres:postgres', restored]);
    const restoredPort = await freePort();
    startServer(restored, restoredPort);
    const deadline = Date.now() + 60_000;
    while (sql(restoredPort, 'SELECT pg_is_in_recovery()') === 't' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(sql(restoredPort, 'SELECT pg_is_in_recovery()')).toBe('f');
    expect(fingerprint(restoredPort)).toBe(expected);
  });
});
