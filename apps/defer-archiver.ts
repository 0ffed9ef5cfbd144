import Module = require('module');
import { dirname } from 'path';

/**
 * cdktf loads `archiver` at start-up (cdktf/lib/private/fs.js, for zipping TerraformAsset directories),
 * and with it about 200 modules: a third of every module synth loads, about 0.1 s of CPU in every synth
 * and again in every worker thread of a large one. No stack here has an asset. Importing this module
 * before cdktf registers a stand-in for `archiver` that loads the real one the first time it is called,
 * so an asset would still be zipped. Once cdktf is loaded it changes nothing.
 */
const ARCHIVER = require.resolve('archiver', { paths: [dirname(require.resolve('cdktf'))] });

if (require.cache[ARCHIVER] === undefined) {
  let archiver: ((...args: unknown[]) => unknown) | undefined;
  const standIn = new Module(ARCHIVER);
  standIn.filename = ARCHIVER;
  standIn.loaded = true;
  standIn.exports = (...args: unknown[]): unknown => {
    if (archiver === undefined) {
      delete require.cache[ARCHIVER];
      archiver = require(ARCHIVER) as (...args: unknown[]) => unknown;
    }
    return archiver(...args);
  };
  require.cache[ARCHIVER] = standIn;
}
