import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AzCli, azurePreflight, describePreflight } from '../azure/preflight';
import { StackEntry } from './manifest';

/**
 * What a deploy checks before its first terraform command: prerequisites of the cloud account that the
 * configuration assumes but cannot create. Resolves to a refusal text, or undefined when the deploy may start.
 */
export type DeployPreflight = (stacks: readonly StackEntry[]) => Promise<string | undefined>;

/** The subscription the synthesized Azure stacks deploy into (the default azurerm provider), if any. */
export function azureSubscriptionOf(stacks: readonly StackEntry[]): string | undefined {
  for (const stack of stacks) {
    const config = JSON.parse(readFileSync(path.join(stack.workingDirectory, 'cdk.tf.json'), 'utf8')) as { provider?: { azurerm?: Array<{ alias?: string; subscription_id?: string }> } };
    const provider = (config.provider?.azurerm ?? []).find((p) => p.alias === undefined && p.subscription_id);
    if (provider?.subscription_id) return provider.subscription_id;
  }
  return undefined;
}

/**
 * Azure: resource providers registered and the EncryptionAtHost feature on (lib/azure/preflight.ts), asked
 * with `az`; nothing to check for AWS stacks. A failed look is a refusal too: a preflight that could not
 * look has not said yes.
 */
export function cloudPreflight(az: AzCli): DeployPreflight {
  return async (stacks) => {
    const subscription = azureSubscriptionOf(stacks);
    if (subscription === undefined) return undefined;
    const problems = await azurePreflight(subscription, az);
    return problems.length === 0 ? undefined : `subscription ${subscription} is not ready:\n${describePreflight(problems)}`;
  };
}
