import { ConfigError, formatProblems } from '../config/errors';
import { loadEnvironment } from '../config/load';
import { MirrorInventory, mirrorInventory } from './inventory';

export interface MirrorIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

const USAGE = 'usage: npm run mirror -- [--env-file FILE] [--json]   (FILE defaults to $ENV_FILE, else examples/gcc-uae-aws.yaml)';
const DEFAULT_ENV_FILE = 'examples/gcc-uae-aws.yaml';

/** The commands that copy one chart from its upstream into the OCI chart mirror (helm >= 3.8). */
function chartCopy(chart: MirrorInventory['charts'][number], chartMirror: string): string {
  const pull = chart.upstream.startsWith('oci://')
    ? `helm pull ${chart.upstream}/${chart.chart} --version ${chart.version}`
    : `helm pull ${chart.chart} --repo ${chart.upstream} --version ${chart.version}`;
  return `${pull} && helm push ${chart.chart}-${chart.version}.tgz ${chartMirror}`;
}

/** Human-readable inventory: one copy command per line, runnable from a connected host. */
export function formatInventory(inventory: MirrorInventory): string {
  const lines = [`# images -> ${inventory.imageMirror}`];
  for (const image of inventory.images) {
    lines.push(
      image.upstreamRegistry === undefined
        ? `# ${image.key}: our own image, pushed by its build to ${image.destination}`
        : `skopeo copy --all docker://${image.upstreamRegistry}/${image.repository}:${image.tag} docker://${image.destination}`,
    );
  }
  lines.push(`# charts -> ${inventory.chartMirror}`);
  for (const chart of inventory.charts) lines.push(chartCopy(chart, inventory.chartMirror));
  lines.push('# models -> the platform object storage (bucket / container), layout in lib/components/tei-model.ts');
  for (const model of inventory.models) {
    lines.push(`# ${model.source.repository} @ ${model.source.revision} -> ${model.prefix} (at least: ${model.requiredFiles.join(', ')})`);
  }
  return `${lines.join('\n')}\n`;
}

/** `npm run mirror`: 0 printed, 2 bad usage or invalid environment file. */
export function runMirrorCli(argv: readonly string[], io: MirrorIo, env: NodeJS.ProcessEnv = process.env): number {
  let envFile = env.ENV_FILE ?? DEFAULT_ENV_FILE;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--json') json = true;
    else if (argv[i] === '--env-file' && i + 1 < argv.length) envFile = argv[++i];
    else {
      io.stderr(`mirror: unknown argument "${argv[i]}"\n${USAGE}\n`);
      return 2;
    }
  }
  try {
    const inventory = mirrorInventory(loadEnvironment(envFile));
    io.stdout(json ? `${JSON.stringify(inventory, null, 2)}\n` : formatInventory(inventory));
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(`${formatProblems(error.file, error.problems).join('\n')}\n`);
      return 2;
    }
    throw error;
  }
}
