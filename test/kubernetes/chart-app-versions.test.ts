import { AWS_EXAMPLE, resourcesOf, synthExample } from '../helpers';
import { CHARTS } from '../../lib/versions';
import appVersions from '../fixtures/charts/app-versions.json';

/**
 * A chart is released for one version of its image (Chart.yaml `appVersion`); running another one means
 * templates and binary were never tested together, and an older patch misses the fixes the chart bump was
 * for (traefik 39.0.9 ships v3.6.15; we ran v3.6.7). The fixture holds what each chart's Chart.yaml says at
 * the pinned version; the synthesized release must pull exactly that tag.
 */
type Fact = { chart: string; appVersion: string; valuesPath: string };
const facts = Object.entries(appVersions).filter(([key]) => key !== '//') as [keyof typeof CHARTS, Fact][];
const stacks = synthExample(AWS_EXAMPLE).stacks;
const releases = Object.values(stacks).flatMap((stack) => resourcesOf(stack, 'helm_release').map(([, r]) => r));
const at = (values: any, path: string) => path.split('.').reduce((v, key) => v?.[key], values);

describe.each(facts)('%s: the synthesized image is the one the pinned chart is released for', (key, fact) => {
  test(`chart ${fact.chart} -> image ${fact.appVersion}`, () => {
    // A chart bump without re-reading its Chart.yaml fails here first.
    expect(CHARTS[key].version).toBe(fact.chart);
    const release = releases.find((r) => r.chart === CHARTS[key].chart);
    expect(release).toBeDefined();
    expect(at(JSON.parse(release.values[0]), fact.valuesPath)).toBe(fact.appVersion);
  });
});
