/**
 * What counts as a written reason for a policy exception. The same test runs in Rego
 * (policies/lib/findings/findings.rego, `valid_reason`), so conftest honours exactly the exceptions the
 * config schema and the in-process gate accept; test/policy/exceptions.test.ts compares the two.
 */

/** Words that mark a reason as not written yet. */
export const PLACEHOLDER_WORDS = ['todo', 'tbd', 'tbc', 'fixme', 'xxx', 'n/a', 'na', 'temp', 'temporary', 'placeholder', 'wip', 'dummy', 'lorem', 'later'] as const;

export const MIN_REASON_LENGTH = 10;
export const MIN_REASON_WORDS = 3;

/** Punctuation trimmed from the ends of each word before it is compared with the placeholder words. */
const WORD_PUNCTUATION = '.,;:!?()[]"\'';

function trimPunctuation(word: string): string {
  let start = 0;
  let end = word.length;
  while (start < end && WORD_PUNCTUATION.includes(word[start])) start += 1;
  while (end > start && WORD_PUNCTUATION.includes(word[end - 1])) end -= 1;
  return word.slice(start, end);
}

/** Why `reason` is not an acceptable exception reason, or undefined when it is. */
export function exceptionReasonProblem(reason: string): string | undefined {
  const text = reason.trim().toLowerCase();
  const words = text.split(' ').filter((word) => word !== '');
  if (text.length < MIN_REASON_LENGTH || words.length < MIN_REASON_WORDS) {
    return `an exception needs a written reason of at least ${MIN_REASON_LENGTH} characters and ${MIN_REASON_WORDS} words`;
  }
  const placeholder = words.map(trimPunctuation).find((word) => (PLACEHOLDER_WORDS as readonly string[]).includes(word));
  if (placeholder !== undefined) {
    return `"${placeholder}" marks a placeholder; write why the deviation is accepted (ticket, approver, mitigation)`;
  }
  return undefined;
}

/** An `expires` date: YYYY-MM-DD naming a real calendar day. */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}
