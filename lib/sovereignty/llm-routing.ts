/**
 * Which LLM offerings process a prompt outside the region they are called in. Both clouds sell
 * "cross-region" capacity under a model id or deployment type that looks like the in-region one.
 */

/**
 * Bedrock cross-region inference profiles are `<geography>.<provider>.<model>` (e.g.
 * `global.anthropic.claude-...`, `us.`, `eu.`, `apac.`): Bedrock routes each request to any region of that
 * geography. In-region foundation models are `<provider>.<model>` (`anthropic.`, `amazon.`, `meta.`, ...).
 */
const BEDROCK_PROFILE_GEOGRAPHIES = ['global', 'us', 'us-gov', 'eu', 'apac', 'jp', 'au', 'ca'] as const;

/** The geography of a Bedrock cross-region inference profile id, or undefined for an in-region model id. */
export function bedrockProfileGeography(modelId: string): string | undefined {
  const head = modelId.split('.')[0];
  return (BEDROCK_PROFILE_GEOGRAPHIES as readonly string[]).includes(head) && modelId.includes('.') ? head : undefined;
}

/** Azure OpenAI `Global*` deployments run anywhere in Azure, `DataZone*` anywhere in a data zone (US/EU). */
export function azureDeploymentLeavesRegion(deploymentType: string | undefined): boolean {
  return deploymentType !== undefined && /^(Global|DataZone)/.test(deploymentType);
}
