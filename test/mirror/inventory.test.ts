import { join } from 'path';
import { loadEnvironment } from '../../lib/config/load';
import { mirrorInventory, mirrorRepositoryNames } from '../../lib/mirror/inventory';
import { formatInventory, runMirrorCli } from '../../lib/mirror/cli';
import { CHARTS, IMAGES } from '../../lib/versions';
import { AWS_EXAMPLE, REPO_ROOT, synthExample } from '../helpers';

/** Every image reference in a synthesized value: full strings, and {registry?, repository, tag} objects. */
function imageReferences(node: unknown, imageMirror: string, found: Set<string> = new Set()): Set<string> {
  if (typeof node === 'string') {
    if (node.startsWith(`${imageMirror}/`) && /:[^/]+$/.test(node)) found.add(node);
    return found;
  }
  if (typeof node !== 'object' || node === null) return found;
  const record = node as Record<string, unknown>;
  if (typeof record.repository === 'string' && typeof record.tag === 'string') {
    const repository = typeof record.registry === 'string' ? `${record.registry}/${record.repository}` : record.repository;
    if (repository.startsWith(`${imageMirror}/`)) found.add(`${repository}:${record.tag}`);
  }
  Object.values(record).forEach((value) => imageReferences(value, imageMirror, found));
  return found;
}

describe.each(['gcc-uae-aws', 'gcc-uae-azure', 'core42-uae-azure'])('mirror inventory of %s', (example) => {
  const config = loadEnvironment(join(REPO_ROOT, 'examples', `${example}.yaml`));
  const inventory = mirrorInventory(config);
  const { stacks } = synthExample(join(REPO_ROOT, 'examples', `${example}.yaml`));

  test('every image the synthesized stacks reference is in it, with its upstream', () => {
    const referenced = imageReferences(Object.values(stacks), config.registry.imageMirror);
    // Helm values are JSON documents inside the stack JSON.
    for (const stack of Object.values<any>(stacks)) {
      for (const release of Object.values<any>(stack.resource?.helm_release ?? {})) {
        release.values.forEach((doc: string) => imageReferences(JSON.parse(doc), config.registry.imageMirror, referenced));
      }
    }
    expect(referenced.size).toBeGreaterThan(25);
    const destinations = new Set(inventory.images.map((image) => image.destination));
    expect([...referenced].filter((ref) => !destinations.has(ref))).toEqual([]);
    for (const image of inventory.images.filter((i) => i.key !== 'orchestrator')) expect(image.upstreamRegistry).toMatch(/^[a-z0-9.-]+\.[a-z]+$/);
  });

  test('every chart a helm_release pulls from the mirror is in it', () => {
    const pulled = Object.values<any>(stacks)
      .flatMap((stack) => Object.values<any>(stack.resource?.helm_release ?? {}))
      .filter((release) => release.repository === config.registry.chartMirror)
      .map((release) => `${release.repository}/${release.chart}:${release.version}`);
    expect(pulled.length).toBeGreaterThan(10);
    const destinations = new Set(inventory.charts.map((chart) => chart.destination));
    expect(pulled.filter((ref) => !destinations.has(ref))).toEqual([]);
  });
});

describe('npm run mirror', () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) } };
  };

  test('--json emits the inventory: upstream, pin and destination of each image and chart', () => {
    const run = io();
    expect(runMirrorCli(['--env-file', AWS_EXAMPLE, '--json'], run.io, {})).toBe(0);
    const json = JSON.parse(run.out.join(''));
    expect(json.images).toContainEqual({
      key: 'traefik',
      upstreamRegistry: 'docker.io',
      repository: IMAGES.traefik.repository,
      tag: IMAGES.traefik.tag,
      destination: `111122223333.dkr.ecr.me-central-1.amazonaws.com/mirror/library/traefik:${IMAGES.traefik.tag}`,
    });
    expect(json.charts).toContainEqual({
      key: 'cert-manager',
      upstream: 'oci://quay.io/jetstack/charts',
      chart: 'cert-manager',
      version: CHARTS['cert-manager'].version,
      destination: `oci://111122223333.dkr.ecr.me-central-1.amazonaws.com/charts/cert-manager:${CHARTS['cert-manager'].version}`,
    });
    expect(json.images.find((i: any) => i.key === 'orchestrator').upstreamRegistry).toBeUndefined();
  });

  test('the text form is one copy command per image and chart', () => {
    const text = formatInventory(mirrorInventory(loadEnvironment(AWS_EXAMPLE)));
    expect(text).toContain(
      `skopeo copy --all docker://nvcr.io/nvidia/k8s-device-plugin:${IMAGES['nvidia-device-plugin'].tag} docker://111122223333.dkr.ecr.me-central-1.amazonaws.com/mirror/nvidia/k8s-device-plugin:${IMAGES['nvidia-device-plugin'].tag}`,
    );
    expect(text).toContain(
      `helm pull qdrant --repo https://qdrant.github.io/qdrant-helm --version ${CHARTS.qdrant.version} && helm push qdrant-${CHARTS.qdrant.version}.tgz oci://111122223333.dkr.ecr.me-central-1.amazonaws.com/charts`,
    );
    expect(text.trim().split('\n')).toHaveLength(Object.keys(IMAGES).length + 1 + Object.keys(CHARTS).length + 2 + 2);
    expect(text).toContain('# https://huggingface.co/BAAI/bge-m3 @ 5617a9f61b028005a4858fdac845db406aefb181 -> models/BAAI/bge-m3/5617a9f61b028005a4858fdac845db406aefb181/');
  });

  test('bad usage and invalid files exit 2 with a message', () => {
    const run = io();
    expect(runMirrorCli(['--bogus'], run.io, {})).toBe(2);
    expect(run.err.join('')).toContain('mirror: unknown argument "--bogus"');
    const missing = io();
    expect(runMirrorCli(['--env-file', join(REPO_ROOT, 'package.json')], missing.io, {})).toBe(2);
  });

  test('repository names: one per image repository and chart, under the mirror prefixes', () => {
    const names = mirrorRepositoryNames(mirrorInventory(loadEnvironment(AWS_EXAMPLE)));
    expect(names).toContain('mirror/library/traefik');
    expect(names).toContain('charts/kube-prometheus-stack');
    expect(names).toContain('mirror/rag/orchestrator');
    expect(new Set(names).size).toBe(names.length);
  });
});
