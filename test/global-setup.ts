/**
 * jest globalSetup of the fast suite (jest.config.js): synthesizes every example once, before the workers
 * start, into the cache test/example-cache.ts serves. The same build and synth as test/helpers.ts
 * `synthEnvironment` and `npm run synth`. An example that fails here is left out of the cache: the tests
 * that need it synthesize it themselves and fail with the error in place, next to what they assert.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { buildEnvironment } from '../apps/build';
import { withoutTokenTraces } from '../apps/token-traces';
import { loadEnvironment } from '../lib/config/load';
import { cacheEntry, EXAMPLE_CACHE_ENV, exampleFiles } from './example-cache';

export default function globalSetup(): void {
  const cacheDir = mkdtempSync(join(tmpdir(), 'example-synth-'));
  for (const file of exampleFiles()) {
    const { source, outdir } = cacheEntry(cacheDir, file);
    mkdirSync(join(source, '..'), { recursive: true });
    copyFileSync(file, source);
    try {
      withoutTokenTraces(() => buildEnvironment(loadEnvironment(file), outdir).app.synth());
    } catch {
      // Not cached (see above): nothing half-written stays behind.
      rmSync(outdir, { recursive: true, force: true });
    }
  }
  process.env[EXAMPLE_CACHE_ENV] = cacheDir;
}
