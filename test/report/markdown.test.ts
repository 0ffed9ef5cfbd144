import { mdCell, mdCode, mdText } from '../../lib/markdown';
import { renderMarkdown } from '../../lib/policy/report';
import { PolicyReport } from '../../lib/policy/types';

describe('Markdown escaping for GitHub job summaries', () => {
  test('angle brackets, ampersands, pipes and newlines cannot break a table or vanish as HTML', () => {
    expect(mdText('label it: "<USD per period>" & go')).toBe('label it: "&lt;USD per period&gt;" &amp; go');
    expect(mdCell('a|b\nc')).toBe('a\\|b c');
    expect(mdCode('helm_release.a|b')).toBe('`helm_release.a\\|b`');
    expect(mdCode('x`y')).toBe('`` x`y ``');
  });

  test('the policy report keeps a fix text with quoted placeholders (it rendered as "" before)', () => {
    const fix = 'Label the object that provisions the tenant\'s LiteLLM key with rag.platform/budget: "<USD per period>".';
    const report: PolicyReport = {
      version: 1,
      environment: 'e',
      cloud: 'aws',
      passed: false,
      stacks: [],
      denies: [{ stack: 's', rule: 'tenancy.llm_budget', severity: 'high', address: 'stack.s', construct_path: '', message: 'No budget | none', fix, msg: '' }],
      excepted: [],
      unusedExceptions: [],
      exceptions: [],
    };
    const md = renderMarkdown(report);
    expect(md).toContain('"&lt;USD per period&gt;"');
    expect(md).not.toContain('"<USD');
    expect(md).toContain('No budget \\| none');
  });
});
