import { mdCell } from '../markdown';
import { escapeXml, renderDiagram } from './diagram';
import { SovereigntyReport } from './pack';
import { reportTables, summaryLines, Table } from './sections';

/** Markdown for a GitHub job summary: every cell escaped (pipes, newlines, angle brackets). */
export function renderReportMarkdown(report: SovereigntyReport): string {
  const out: string[] = [`# Sovereignty evidence: ${mdCell(report.environment)}`, '', ...summaryLines(report).map((line) => `- ${mdCell(line)}`), ''];
  out.push('Residency diagram: `sovereignty-report.svg` (also embedded in `sovereignty-report.html`).', '');
  for (const table of reportTables(report)) {
    out.push(`## ${table.title}`, '');
    if (table.intro) out.push(mdCell(table.intro), '');
    if (table.rows.length === 0) {
      out.push(table.empty ?? 'None.', '');
      continue;
    }
    out.push(`| ${table.columns.map(mdCell).join(' | ')} |`, `|${table.columns.map(() => '---').join('|')}|`);
    table.rows.forEach((row) => out.push(`| ${row.map(mdCell).join(' | ')} |`));
    out.push('');
  }
  return out.join('\n');
}

function htmlTable(table: Table): string {
  const head = `<h2>${escapeXml(table.title)}</h2>${table.intro ? `<p>${escapeXml(table.intro)}</p>` : ''}`;
  if (table.rows.length === 0) return `${head}<p>${escapeXml(table.empty ?? 'None.')}</p>`;
  const header = `<tr>${table.columns.map((column) => `<th>${escapeXml(column)}</th>`).join('')}</tr>`;
  const rows = table.rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeXml(cell)}</td>`).join('')}</tr>`).join('\n');
  return `${head}\n<table>\n${header}\n${rows}\n</table>`;
}

/** A self-contained page (no scripts, no external assets) with the diagram inline. */
export function renderReportHtml(report: SovereigntyReport, svg: string = renderDiagram(report)): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeXml(`Sovereignty evidence: ${report.environment}`)}</title>`,
    '<style>body{font-family:Helvetica,Arial,sans-serif;margin:24px;color:#111}table{border-collapse:collapse;margin-bottom:24px;font-size:12px}th,td{border:1px solid #d1d5db;padding:4px 6px;text-align:left;vertical-align:top}th{background:#f3f4f6}svg{max-width:100%;height:auto;border:1px solid #e5e7eb}</style>',
    '</head><body>',
    `<h1>${escapeXml(`Sovereignty evidence: ${report.environment}`)}</h1>`,
    `<ul>${summaryLines(report).map((line) => `<li>${escapeXml(line)}</li>`).join('')}</ul>`,
    svg.trimEnd(),
    ...reportTables(report).map(htmlTable),
    '</body></html>',
    '',
  ].join('\n');
}
