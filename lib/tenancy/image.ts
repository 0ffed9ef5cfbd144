import { IMAGES, ImageKey } from '../versions';

/**
 * `<mirror>/<repository>:<tag>` for a pinned image, with the environment's per-image tag override
 * (`versions.images.<key>`). Pods never pull from upstream registries.
 */
export function mirroredImage(mirror: string, key: ImageKey, overrides: Partial<Record<ImageKey, string>>): string {
  const pin = IMAGES[key];
  return `${mirror}/${pin.repository}:${overrides[key] ?? pin.tag}`;
}
