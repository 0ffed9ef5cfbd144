import { mkdtempSync, readdirSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { synthesizeAndGate } from '../../apps/synth';
import { loadEnvironment } from '../../lib/config/load';
import { runReportCli } from '../../lib/report/cli';
import { DATA_BEARING_TYPES } from '../../lib/report/data-stores';
import { SovereigntyReport } from '../../lib/report/pack';
import { readSynthesizedStacks, StackSet } from '../../lib/report/stacks';
import { EVIDENCE_FILES } from '../../lib/report/write';
import { REPO_ROOT } from '../helpers';

const EXAMPLES = readdirSync(join(REPO_ROOT, 'examples'))
  .filter((file) => /\.ya?ml$/.test(file))
  .map((file) => join('examples', file));
const quiet = { out: () => undefined, err: () => undefined };

/**
 * Resource types that hold data, by name, independent of the report's own list: a new one synthesized
 * without the report learning to read it fails here.
 */
const HOLDS_DATA =
  /^(aws_(s3_bucket|ecr_repository|cloudwatch_log_group|eks_cluster|launch_template|secretsmanager_secret|db_instance|rds_cluster|dynamodb_table|efs_file_system|ebs_volume|elasticache_\w+|sqs_queue|backup_vault|opensearch_domain|kinesis_\w+)|azurerm_(storage_account|container_registry|key_vault|kubernetes_cluster|log_analytics_workspace|postgresql_\w+|cosmosdb_account|managed_disk|recovery_services_vault|data_protection_backup_vault))$/;

const packFiles = (outdir: string): Record<string, string> => Object.fromEntries(EVIDENCE_FILES.map((file) => [file, readFileSync(join(outdir, file), 'utf8')]));

describe.each(EXAMPLES)('evidence pack of %s', (example) => {
  const cwd = process.cwd();
  let outdir: string;
  let report: SovereigntyReport;
  let stacks: StackSet;

  beforeAll(async () => {
    process.chdir(REPO_ROOT);
    outdir = join(mkdtempSync(join(tmpdir(), 'evidence-')), 'cdktf.out');
    expect((await synthesizeAndGate(example, outdir, quiet)).exitCode).toBe(0);
    report = JSON.parse(readFileSync(join(outdir, 'sovereignty-report.json'), 'utf8'));
    stacks = new StackSet(readSynthesizedStacks(outdir));
  });
  afterAll(() => process.chdir(cwd));

  test('every synth writes json, md, html and svg', () => {
    const files = packFiles(outdir);
    expect(files['sovereignty-report.html']).toContain(files['sovereignty-report.svg'].trimEnd());
    expect(files['sovereignty-report.svg']).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  });

  test('every data-bearing resource type we synthesize appears, each resource with region and a resolved key', () => {
    const synthesizedTypes = stacks.resourceTypes().filter((type) => HOLDS_DATA.test(type));
    expect(synthesizedTypes.length).toBeGreaterThan(3);
    for (const type of synthesizedTypes) {
      expect({ type, known: DATA_BEARING_TYPES.includes(type) }).toEqual({ type, known: true });
      for (const resource of stacks.resources(type)) {
        const store = report.dataStores.find((candidate) => candidate.stack === resource.stack && candidate.address === `${type}.${resource.name}`);
        expect({ address: `${resource.stack}/${type}.${resource.name}`, region: store?.region }).toEqual({ address: `${resource.stack}/${type}.${resource.name}`, region: report.region });
        expect(['customer-managed', 'vault-hsm', 'provider-managed']).toContain(store!.key.kind);
      }
    }
  });

  test('customer-managed keys resolve to the key resource, across stacks, with rotation', () => {
    const keyed = report.dataStores.filter((store) => store.key.kind === 'customer-managed');
    expect(keyed.length).toBeGreaterThan(5);
    for (const store of keyed) {
      const [type, name] = store.key.address!.split('.');
      expect(stacks.get({ stack: store.key.stack!, type, name })).toBeDefined();
      expect(['aws_kms_key', 'azurerm_key_vault_key']).toContain(store.key.type);
      expect(store.key.rotation).not.toBe('none');
      expect(store.key.region).toBe(report.region);
    }
  });

  test('in-cluster volumes of Qdrant, Postgres, ClickHouse, Valkey and Prometheus, keyed through the StorageClass to the platform key', () => {
    const volumes = report.dataStores.filter((store) => store.type === 'persistent-volume');
    for (const kind of ['Qdrant', 'Postgres', 'ClickHouse', 'Valkey', 'Prometheus']) {
      expect(volumes.map((volume) => volume.holds).join('\n')).toContain(`${kind} volume`);
    }
    for (const volume of volumes) {
      expect(volume.key.kind).toBe('customer-managed');
      // The StorageClass is in the workloads stack, its key in the platform stack: resolved across stacks.
      expect(volume.key.stack).not.toBe(volume.stack);
      expect(volume.reachability).toMatch(/^in-cluster only/);
    }
  });

  test('the Qdrant volume lists its snapshot backup: the platform bucket/account under qdrant/, in-region, schedule, retention', () => {
    const qdrant = report.dataStores.filter((store) => store.type === 'persistent-volume' && store.address.startsWith('helm_release.qdrant_release'));
    expect(qdrant.length).toBeGreaterThan(0);
    for (const store of qdrant) {
      expect(store.backup).not.toBeNull();
      expect(store.backup!.destination).toMatch(/^(s3:\/\/[a-z0-9.-]+\/qdrant\/ \(.+\/aws_s3_bucket\.|https:\/\/.+\/platform\/qdrant\/ \(.+\/azurerm_storage_account\.)/);
      expect(store.backup!.destination).toContain('by CronJob vectordb/qdrant-backup');
      expect(store.backup!.region).toBe(report.region);
      expect(store.backup!.schedule).toBe('30 1 * * * (Etc/UTC)');
      expect(store.backup!.retention).toMatch(/^\d+ days/);
    }
  });

  test('every stack has its Terraform state listed; nothing is public', () => {
    expect(report.dataStores.filter((store) => store.address.startsWith('terraform.backend.')).map((store) => store.stack).sort()).toEqual(stacks.stacks.map((stack) => stack.name));
    expect(report.dataStores.filter((store) => /PUBLIC/.test(store.reachability))).toEqual([]);
  });

  test('models, rules and provenance', () => {
    expect(report.models.filter((model) => model.purpose === 'embedding')).toHaveLength(1);
    expect(report.models.filter((model) => model.purpose === 'generation').length).toBeGreaterThanOrEqual(1);
    for (const model of report.models) {
      expect(model.inHomeRegions || model.agreement !== null).toBe(true);
    }
    expect(report.rules.length).toBeGreaterThan(30);
    expect(report.rules.every((rule) => rule.result === 'pass' || rule.result === 'excepted')).toBe(true);
    expect(report.provenance.environmentFileSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.provenance.gitCommit).toBeNull();
    expect(report.provenance.charts.length).toBeGreaterThan(5);
  });

  test('the capacity plan and estimate are included when the environment has a capacity: block', () => {
    const config = loadEnvironment(example);
    if (!config.capacity) {
      expect(report.capacity).toBeNull();
      return;
    }
    expect(report.capacity!.plan.layers.map((layer) => layer.name)).toEqual(['orchestrator', 'qdrant', 'tei', 'litellm', 'langfuse']);
    expect(report.capacity!.plan.input).toMatchObject({ steadyQps: config.capacity.steadyQps, vectors: config.capacity.vectors, region: config.region });
    expect(report.capacity!.plan.monthlyCost.total).toBeGreaterThan(0);
    expect(readFileSync(join(outdir, 'sovereignty-report.md'), 'utf8')).toContain('## Capacity plan');
  });

  test('Markdown tables keep their columns (cells escaped) and no raw HTML gets through', () => {
    const md = readFileSync(join(outdir, 'sovereignty-report.md'), 'utf8');
    let columns = 0;
    for (const line of md.split('\n')) {
      if (!line.startsWith('|')) {
        columns = 0;
        continue;
      }
      const cells = line.split(/(?<!\\)\|/).length;
      if (columns === 0) columns = cells;
      expect({ line, cells }).toEqual({ line, cells: columns });
    }
    expect(md).not.toMatch(/<(?!br>)[a-z]/i);
  });
});

describe('determinism and npm run report', () => {
  const cwd = process.cwd();
  beforeAll(() => process.chdir(REPO_ROOT));
  afterAll(() => process.chdir(cwd));

  test('two synths in different directories give byte-identical packs; npm run report rewrites the same bytes', async () => {
    const example = 'examples/gcc-uae-aws.yaml';
    const first = join(mkdtempSync(join(tmpdir(), 'evidence-a-')), 'cdktf.out');
    const second = join(mkdtempSync(join(tmpdir(), 'evidence-b-')), 'nested', 'out');
    await synthesizeAndGate(example, first, quiet);
    await synthesizeAndGate(example, second, quiet);
    expect(packFiles(second)).toEqual(packFiles(first));

    const io = { stdout: () => undefined, stderr: () => undefined, env: {} };
    expect(runReportCli(['--outdir', first, '--env-file', example], io)).toBe(0);
    expect(packFiles(first)).toEqual(packFiles(second));

    expect(runReportCli(['--outdir', first, '--env-file', example, '--git-commit', '0123abc'], io)).toBe(0);
    expect(JSON.parse(readFileSync(join(first, 'sovereignty-report.json'), 'utf8')).provenance.gitCommit).toBe('0123abc');
  });

  test.each([
    [['--outdir'], '--outdir: needs a value'],
    [['--fast'], '--fast: unknown option'],
    [['--outdir', '/nonexistent/out'], 'run npm run synth first'],
  ])('%j exits 2 with one line', (argv, message) => {
    let stderr = '';
    expect(runReportCli(argv, { stdout: () => undefined, stderr: (text) => (stderr += text), env: {} })).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
