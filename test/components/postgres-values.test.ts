import { join } from 'path';
import { parse } from 'yaml';
import { loadEnvironment } from '../../lib/config/load';
import { REPO_ROOT, resourcesOf, synthEnvironment } from '../helpers';

/**
 * The groundhog2k postgres chart (LiteLLM's release, Langfuse's bundled `postgresql`) renders
 * `<image.registry>/<image.repository>` with docker.io as the default registry, and dereferences
 * `userDatabase.{name,user,password}.secretKey`: both were wrong before (docker.io/<mirror>/..., and a render
 * error). Rendered with helm 3.22 against the chart at postgres-1.6.3 after this change. The releases only
 * exist while an environment created before CloudNativePG imports their databases
 * (components.postgres.importLegacyReleases).
 */
describe.each([
  ['gcc-uae-aws', 'uae-prod-aws', '111122223333.dkr.ecr.me-central-1.amazonaws.com/mirror'],
  ['gcc-uae-azure', 'uae-prod-azure', undefined],
])('postgres chart values: %s', (example, env, awsMirror) => {
  let releases: Record<string, any>;
  beforeAll(() => {
    const config = loadEnvironment(join(REPO_ROOT, 'examples', `${example}.yaml`));
    const legacy = { ...config, components: { ...config.components, postgres: { ...config.components.postgres, importLegacyReleases: true } } };
    const workloads = synthEnvironment(legacy).stacks[`${env}-workloads`];
    const values = (name: string) => parse(resourcesOf(workloads, 'helm_release').find(([, r]) => r.name === name)![1].values[0]);
    releases = { litellm: values('litellm-postgres'), langfuse: values('langfuse').postgresql };
  });

  test.each(['litellm', 'langfuse'])('%s: the mirror is the registry, so the image never resolves to docker.io', (release) => {
    const { image } = releases[release];
    expect(image.repository).toBe('library/postgres');
    expect(image.registry).not.toMatch(/docker\.io/);
    if (awsMirror) expect(image.registry).toBe(awsMirror);
  });

  test.each(['litellm', 'langfuse'])('%s: every user-database key is named in the auth Secret', (release) => {
    const { userDatabase, settings } = releases[release];
    expect(userDatabase).toEqual({
      existingSecret: settings.existingSecret,
      name: { secretKey: 'POSTGRES_DB' },
      user: { secretKey: 'USERDB_USER' },
      password: { secretKey: 'USERDB_PASSWORD' },
    });
  });
});
