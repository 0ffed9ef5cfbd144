import { ClusterInfo } from '../cluster/cluster-info';
import { ImagePin } from '../versions';

/** The keys of the auth Secret the values below point at (POSTGRES_USER/PASSWORD, POSTGRES_DB, USERDB_*). */
export const POSTGRES_AUTH_KEYS = { database: 'POSTGRES_DB', user: 'USERDB_USER', password: 'USERDB_PASSWORD' } as const;

/**
 * Values of the groundhog2k `postgres` chart (LiteLLM's release and Langfuse's bundled `postgresql`) that make it
 * render and pull from the mirror:
 * - the chart writes `<image.registry>/<image.repository>` with `docker.io` as the default registry, so the
 *   mirror goes into `registry` and the upstream path into `repository` (a mirrored repository alone renders
 *   `docker.io/<mirror>/...`);
 * - `userDatabase` must name each key (`name`, `user`, `password`): the template dereferences
 *   `.name.secretKey` and fails to render on an `existingSecret` alone.
 */
export function postgresChartValues(cluster: ClusterInfo, image: ImagePin, authSecret: string) {
  return {
    image: { registry: cluster.imageMirror, repository: image.repository, tag: image.tag },
    settings: { existingSecret: authSecret },
    userDatabase: {
      existingSecret: authSecret,
      name: { secretKey: POSTGRES_AUTH_KEYS.database },
      user: { secretKey: POSTGRES_AUTH_KEYS.user },
      password: { secretKey: POSTGRES_AUTH_KEYS.password },
    },
  };
}
