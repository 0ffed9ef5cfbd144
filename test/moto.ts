/**
 * moto (a local fake of the AWS APIs, installed by scripts/ci/install-moto.sh) as a stand-in server on
 * 127.0.0.1 for the integration tests that talk to AWS APIs.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';

/** A port the OS says is free right now (tiny race until the server binds it; acceptable for a test). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function httpOk(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve((res.statusCode ?? 500) < 500);
    });
    req.on('error', () => resolve(false));
    req.setTimeout(2000, () => {
      req.destroy();
      resolve(false);
    });
  });
}

export async function waitForMoto(url: string, proc: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`moto_server exited with ${proc.exitCode}:\n${log()}`);
    if (await httpOk(`${url}/moto-api/`)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`moto_server did not answer on ${url} within 60 s:\n${log()}`);
}

/** Runs an install script under scripts/ci and returns the venv path it prints last. */
export function installVenv(script: string): string {
  const repo = path.resolve(__dirname, '..');
  const install = spawnSync('bash', [path.join(repo, 'scripts', 'ci', script)], { encoding: 'utf8', timeout: 540_000 });
  if (install.status !== 0) throw new Error(`scripts/ci/${script} failed (exit ${install.status}):\n${install.stderr}`);
  return install.stdout.trim().split('\n').pop() ?? '';
}

export interface Moto {
  endpoint: string;
  /** moto's last output, for failure messages. */
  log: () => string;
  stop: () => void;
}

/** Starts moto_server from `venv` on a free loopback port and waits until it answers. */
export async function startMoto(venv: string): Promise<Moto> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  let output = '';
  const proc = spawn(path.join(venv, 'bin', 'moto_server'), ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout?.on('data', (b: Buffer) => (output = (output + b.toString()).slice(-4000)));
  proc.stderr?.on('data', (b: Buffer) => (output = (output + b.toString()).slice(-4000)));
  const log = (): string => output;
  await waitForMoto(endpoint, proc, log);
  return { endpoint, log, stop: () => proc.kill('SIGTERM') };
}
