import { ChartKey, ChartPin, CHARTS, ImageKey, ImagePin, IMAGES } from '../versions';

/** The chart and image pins of one environment: lib/versions.ts with the environment's overrides applied. */
export interface Pins {
  readonly charts: Readonly<Record<ChartKey, ChartPin>>;
  readonly images: Readonly<Record<ImageKey, ImagePin>>;
}

export function resolvePins(overrides: {
  readonly charts?: Partial<Record<ChartKey, string>>;
  readonly images?: Partial<Record<ImageKey, string>>;
}): Pins {
  const charts = Object.fromEntries(
    (Object.keys(CHARTS) as ChartKey[]).map((key) => [key, { ...CHARTS[key], version: overrides.charts?.[key] ?? CHARTS[key].version }]),
  ) as Record<ChartKey, ChartPin>;
  const images = Object.fromEntries(
    (Object.keys(IMAGES) as ImageKey[]).map((key) => [key, { ...IMAGES[key], tag: overrides.images?.[key] ?? IMAGES[key].tag }]),
  ) as Record<ImageKey, ImagePin>;
  return { charts, images };
}
