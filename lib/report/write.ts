import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { EnvironmentConfig } from '../config/schema';
import { PolicyReport } from '../policy/types';
import { renderDiagram } from './diagram';
import { buildEvidencePack, SovereigntyReport } from './pack';
import { renderReportHtml, renderReportMarkdown } from './render';
import { readSynthesizedStacks, StackSet } from './stacks';

export const EVIDENCE_FILES = ['sovereignty-report.json', 'sovereignty-report.md', 'sovereignty-report.html', 'sovereignty-report.svg'] as const;

export interface WriteEvidenceOptions {
  /** The synthesized output directory (with stacks/ and the policy report). */
  readonly outdir: string;
  readonly config: EnvironmentConfig;
  readonly environmentFile: string;
  readonly policy: PolicyReport;
  readonly gitCommit?: string;
}

/** Builds the evidence pack from `outdir` and writes its four files there. */
export function writeEvidencePack(options: WriteEvidenceOptions): SovereigntyReport {
  const report = buildEvidencePack({
    stacks: new StackSet(readSynthesizedStacks(options.outdir)),
    config: options.config,
    policy: options.policy,
    environmentFile: options.environmentFile,
    environmentFileContent: readFileSync(options.environmentFile),
    gitCommit: options.gitCommit,
  });
  const svg = renderDiagram(report);
  const [json, md, html, svgFile] = EVIDENCE_FILES;
  writeFileSync(join(options.outdir, json), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(options.outdir, md), renderReportMarkdown(report));
  writeFileSync(join(options.outdir, html), renderReportHtml(report, svg));
  writeFileSync(join(options.outdir, svgFile), svg);
  return report;
}
