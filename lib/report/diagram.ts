import { DataStore } from './data-stores';
import { SovereigntyReport } from './pack';

/**
 * The residency and data-flow picture: the home region with its networks, every data store joined to
 * the key that encrypts it, and every model endpoint (inside the home regions, or outside under its
 * agreement). Hand-written SVG with a fixed grid, so the same report always draws the same bytes.
 */

const ROW = 30;
const BOX_HEIGHT = 24;
const TOP = 110;
const STORE_X = 40;
const STORE_WIDTH = 420;
const KEY_X = 560;
const KEY_WIDTH = 330;
const MODEL_X = 960;
const MODEL_WIDTH = 300;
const WIDTH = MODEL_X + MODEL_WIDTH + 40;

const COLOURS = {
  cloud: '#dbeafe',
  volume: '#ccfbf1',
  state: '#e5e7eb',
  key: '#fef3c7',
  keyMissing: '#fee2e2',
  home: '#dcfce7',
  away: '#fee2e2',
  line: '#6b7280',
} as const;

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function box(x: number, y: number, width: number, fill: string, label: string, title: string): string {
  return (
    `<g><title>${escapeXml(title)}</title><rect x="${x}" y="${y}" width="${width}" height="${BOX_HEIGHT}" rx="4" fill="${fill}" stroke="#374151" stroke-width="0.8"/>` +
    `<text x="${x + 8}" y="${y + 16}" font-size="11">${escapeXml(clip(label, Math.floor(width / 6.2)))}</text></g>`
  );
}

const storeKind = (store: DataStore): keyof typeof COLOURS => (store.type === 'persistent-volume' ? 'volume' : store.type.startsWith('backend:') ? 'state' : 'cloud');
const keyId = (store: DataStore): string => (store.key.kind === 'customer-managed' ? `${store.key.stack}/${store.key.address}` : store.key.kind);

export function renderDiagram(report: SovereigntyReport): string {
  const stores = report.dataStores;
  const keys = [...new Map(stores.map((store) => [keyId(store), store.key])).entries()];
  const home = report.models.filter((model) => model.inHomeRegions);
  const away = report.models.filter((model) => !model.inHomeRegions);
  const rows = Math.max(stores.length, keys.length, report.models.length + 2);
  const regionBottom = TOP + stores.length * ROW + 20;
  const height = Math.max(regionBottom, TOP + rows * ROW) + 60;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<title>${escapeXml(`Residency and data flow: ${report.environment}`)}</title>`,
    `<text x="20" y="28" font-size="18" font-weight="bold">${escapeXml(`${report.environment}: data residency and keys (${report.cloud} ${report.region}, profile ${report.profile})`)}</text>`,
    `<rect x="20" y="44" width="${KEY_X + KEY_WIDTH}" height="${regionBottom - 44}" rx="8" fill="none" stroke="#1d4ed8" stroke-width="2"/>`,
    `<text x="32" y="64" font-size="13" font-weight="bold" fill="#1d4ed8">${escapeXml(`home region ${report.region}`)}</text>`,
    `<text x="32" y="84" font-size="11">${escapeXml(report.networks.map((network) => `network ${network.cidr} (${network.address.split('.')[0]})`).join('; ') || 'no network in these stacks')}</text>`,
    `<text x="${STORE_X}" y="${TOP - 8}" font-size="12" font-weight="bold">data stores</text>`,
    `<text x="${KEY_X}" y="${TOP - 8}" font-size="12" font-weight="bold">keys</text>`,
  ];
  stores.forEach((store, index) => {
    const y = TOP + index * ROW;
    const keyIndex = keys.findIndex(([id]) => id === keyId(store));
    const keyY = TOP + keyIndex * ROW + BOX_HEIGHT / 2;
    out.push(`<path d="M${STORE_X + STORE_WIDTH} ${y + BOX_HEIGHT / 2} C${STORE_X + STORE_WIDTH + 50} ${y + BOX_HEIGHT / 2} ${KEY_X - 50} ${keyY} ${KEY_X} ${keyY}" fill="none" stroke="${COLOURS.line}" stroke-width="0.7"/>`);
    const label = storeKind(store) === 'state' ? `Terraform state · ${store.stack}` : `${store.holds} · ${store.address}`;
    out.push(box(STORE_X, y, STORE_WIDTH, COLOURS[storeKind(store)], label, `${store.stack}/${store.address}: ${store.reachability}`));
  });
  keys.forEach(([id, key], index) => {
    const label = key.kind === 'customer-managed' ? `${key.name ?? id} · ${key.rotation ?? 'no rotation'}` : `${key.kind}${key.note ? `: ${key.note}` : ''}`;
    out.push(box(KEY_X, TOP + index * ROW, KEY_WIDTH, key.kind === 'customer-managed' || key.kind === 'vault-hsm' ? COLOURS.key : COLOURS.keyMissing, label, id));
  });
  // Embedding and generation calls leave the cluster for each endpoint (TEI's stays inside the region).
  const regionRight = 20 + KEY_X + KEY_WIDTH;
  out.push(`<text x="${MODEL_X}" y="${TOP - 8}" font-size="12" font-weight="bold">model endpoints (calls from the cluster)</text>`);
  [...home, ...away].forEach((model, index) => {
    const y = TOP + index * ROW;
    const label = `${model.region} · ${model.purpose} ${model.name}${model.fallbackOrder > 1 ? ` (fallback ${model.fallbackOrder})` : ''} · ${model.provider}`;
    const title = model.inHomeRegions ? `${model.model} in a home region` : `${model.model} outside the home regions; agreement: ${model.agreement ?? 'NONE'}`;
    out.push(box(MODEL_X, y, MODEL_WIDTH, model.inHomeRegions ? COLOURS.home : COLOURS.away, label, title));
    out.push(`<path d="M${regionRight} ${TOP - 20} L${MODEL_X} ${y + BOX_HEIGHT / 2}" fill="none" stroke="${COLOURS.line}" stroke-dasharray="4 3" stroke-width="0.7"/>`);
  });
  const legendY = height - 24;
  const legend: Array<[string, string]> = [
    [COLOURS.cloud, 'cloud resource'],
    [COLOURS.volume, 'in-cluster volume'],
    [COLOURS.state, 'Terraform state'],
    [COLOURS.key, 'customer key'],
    [COLOURS.keyMissing, 'no customer key'],
    [COLOURS.home, 'model in home region'],
    [COLOURS.away, 'model outside (agreement)'],
  ];
  legend.forEach(([fill, text], index) => {
    const x = 20 + index * 175;
    out.push(`<rect x="${x}" y="${legendY - 11}" width="14" height="14" fill="${fill}" stroke="#374151" stroke-width="0.8"/><text x="${x + 20}" y="${legendY}" font-size="11">${escapeXml(text)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
