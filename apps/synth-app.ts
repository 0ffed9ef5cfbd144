import { App } from 'cdktf';
import { installFastResolve } from './fast-resolve';

/**
 * The App every synth builds its stacks in (apps/build.ts, and a worker's share in
 * apps/build-tenant-shard.ts), so both write the same output.
 */
export function synthApp(outdir: string): App {
  // The same output as cdktf's own resolution, at a fraction of the CPU (apps/fast-resolve.ts).
  installFastResolve();
  // Stack traces in the manifest would make output depend on the checkout's location.
  return new App({ outdir, stackTraces: false, skipValidation: false });
}
