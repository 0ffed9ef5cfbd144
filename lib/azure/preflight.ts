import { execFile } from 'node:child_process';
import { REQUIRED_RESOURCE_PROVIDERS } from './provider';

/** What one `az` invocation produced. */
export interface AzResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `az <args>`; an interface so the checks are tested with a scripted fake. */
export type AzCli = (args: readonly string[]) => Promise<AzResult>;

/** One subscription prerequisite that is not met, with the command that fixes it. */
export interface PreflightProblem {
  readonly prerequisite: string;
  readonly found: string;
  readonly fix: string;
}

/** Subscription features the platform needs: host encryption on every node pool. */
export const REQUIRED_FEATURES = [{ namespace: 'Microsoft.Compute', name: 'EncryptionAtHost' }] as const;

/**
 * Checks, before the first terraform command of a deploy, what the configuration assumes of the
 * subscription but cannot create itself (the provider registers nothing: `resource_provider_registrations
 * = "none"`): every resource provider registered and the EncryptionAtHost feature registered. Read-only
 * calls (`az provider show`, `az feature show`); an empty result means the deploy may start. A failed
 * `az` call is a problem too: a preflight that cannot look has not said yes.
 */
export async function azurePreflight(subscriptionId: string, az: AzCli): Promise<PreflightProblem[]> {
  const state = async (args: string[]): Promise<{ value?: string; error?: string }> => {
    const result = await az([...args, '--subscription', subscriptionId, '--output', 'tsv']);
    return result.exitCode === 0 ? { value: result.stdout.trim() } : { error: result.stderr.trim() || `az exited ${result.exitCode}` };
  };
  const problems: PreflightProblem[] = [];
  for (const namespace of REQUIRED_RESOURCE_PROVIDERS) {
    const { value, error } = await state(['provider', 'show', '--namespace', namespace, '--query', 'registrationState']);
    if (value !== 'Registered') {
      problems.push({ prerequisite: `resource provider ${namespace} registered`, found: error ?? value ?? '', fix: `az provider register --namespace ${namespace} --subscription ${subscriptionId} --wait` });
    }
  }
  for (const feature of REQUIRED_FEATURES) {
    const { value, error } = await state(['feature', 'show', '--namespace', feature.namespace, '--name', feature.name, '--query', 'properties.state']);
    if (value !== 'Registered') {
      problems.push({
        prerequisite: `feature ${feature.namespace}/${feature.name} registered`,
        found: error ?? value ?? '',
        // A feature takes effect for the resource provider only after the provider is registered again.
        fix: `az feature register --namespace ${feature.namespace} --name ${feature.name} --subscription ${subscriptionId} && az provider register --namespace ${feature.namespace} --subscription ${subscriptionId}`,
      });
    }
  }
  return problems;
}

/** One paragraph per unmet prerequisite, for the deploy log. */
export function describePreflight(problems: readonly PreflightProblem[]): string {
  return problems.map((problem) => `missing: ${problem.prerequisite} (found: ${problem.found || 'nothing'})\n  fix: ${problem.fix}`).join('\n');
}

/** The real `az` on PATH (the runner's logged-in session; no shell). */
export const azCli: AzCli = (args) =>
  new Promise((resolve) => {
    execFile('az', [...args], { maxBuffer: 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ exitCode: code, stdout: String(stdout), stderr: String(stderr || (error && typeof error.code !== 'number' ? error.message : '')) });
    });
  });
