export * from './types';
export { POLICY_RULES } from './rules';
export type { RuleInfo } from './rules';
export { runPolicyGate, gatePlanJson, judgeStacks, judgeStackFile, assembleReport, policyData, exceptionOutcomes, writePolicyReports, stackFile, validateEnvironment, REPORT_FILES } from './gate';
export type { GateSubject } from './gate';
export { formatGateSummary, renderMarkdown, renderSarif } from './report';
export { loadGatePolicy, defaultWasmPath, sortFindings, compareFindings, GATE_ENTRYPOINT } from './wasm';
export type { GatePolicy } from './wasm';
export { exceptionReasonProblem, isIsoDate, PLACEHOLDER_WORDS } from './exception-reason';
