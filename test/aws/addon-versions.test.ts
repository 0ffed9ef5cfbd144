import { EKS_ADDON_VERSIONS_BY_KUBERNETES, SUPPORTED_KUBERNETES_VERSIONS } from '../../lib/versions';
import { awsExampleInput, configFrom, problemLines, resourcesOf, synthEnvironment } from '../helpers';

describe('EKS add-on versions per Kubernetes minor', () => {
  test('the supported minors are exactly those with an add-on entry', () => {
    expect(SUPPORTED_KUBERNETES_VERSIONS).toEqual(Object.keys(EKS_ADDON_VERSIONS_BY_KUBERNETES));
    for (const minor of SUPPORTED_KUBERNETES_VERSIONS) {
      expect(EKS_ADDON_VERSIONS_BY_KUBERNETES[minor]['kube-proxy']).toMatch(new RegExp(`^v${minor.replace('.', '\\.')}\\.\\d+-eksbuild\\.\\d+$`));
    }
  });

  test('a 1.33 cluster gets the 1.33 add-ons, not the default minor\'s', () => {
    const input = awsExampleInput();
    input.versions = { kubernetes: '1.33' };
    const { stacks } = synthEnvironment(configFrom(input));
    const platform = stacks['uae-prod-aws-platform'];
    expect(resourcesOf(platform, 'aws_eks_cluster').map(([, cluster]) => cluster.version)).toEqual(['1.33']);
    const addons = Object.fromEntries(resourcesOf(platform, 'aws_eks_addon').map(([, addon]) => [addon.addon_name, addon.addon_version]));
    expect(addons).toEqual(EKS_ADDON_VERSIONS_BY_KUBERNETES['1.33']);
    expect(addons['kube-proxy']).toBe('v1.33.5-eksbuild.2');
  });

  test('a minor without an entry is refused with the supported list', () => {
    const input = awsExampleInput();
    input.versions = { kubernetes: '1.31' };
    expect(problemLines(input)).toEqual([`env.yaml: versions.kubernetes: is not an allowed value (allowed: ${SUPPORTED_KUBERNETES_VERSIONS.join(', ')})`]);
  });
});
