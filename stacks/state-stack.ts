import { Construct } from 'constructs';
import { PreparedStack } from './prepared-stack';
import { EnvironmentConfig } from '../lib/config/schema';
import { stackName } from '../lib/naming';
import { configureBootstrapBackend } from './backend';

// Each cloud's store is loaded only for an environment on that cloud (see platform-stack.ts).
const awsStateStore = (): typeof import('./state-aws') => require('./state-aws');
const azureStateStore = (): typeof import('./state-azure') => require('./state-azure');

/**
 * `<env>-state`: the encrypted, private store that holds every other stack's state. Applied once per
 * environment, before anything else. With a `local` or `hcp` backend there is nothing to create, and
 * the stack is not synthesized.
 */
export class StateStack extends PreparedStack {
  constructor(scope: Construct, config: EnvironmentConfig) {
    const name = stackName(config.name, 'state');
    super(scope, name);
    configureBootstrapBackend(this, config, name);
    if (config.cloud === 'aws') {
      awsStateStore().buildAwsStateStore(this, config);
    } else if (config.state.backend === 'azurerm') {
      azureStateStore().buildAzureStateStore(this, config, config.state.containerName);
    }
  }
}

/** Whether the environment's backend needs a state stack at all. */
export function needsStateStack(config: EnvironmentConfig): boolean {
  return config.state.backend === 's3' || config.state.backend === 'azurerm';
}
