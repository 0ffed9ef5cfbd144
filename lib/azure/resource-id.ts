/** Parts of an Azure Resource Manager id (`/subscriptions/<id>/resourceGroups/<rg>/providers/<type>/<name>`). */

/** The subscription id an ARM resource id lives in. */
export function subscriptionOf(resourceId: string): string {
  return resourceId.split('/')[2];
}

/** The resource group an ARM resource id lives in. */
export function resourceGroupOf(resourceId: string): string {
  return resourceId.split('/')[4];
}

/** The resource's own name (last segment). */
export function nameOf(resourceId: string): string {
  return resourceId.split('/').pop()!;
}
