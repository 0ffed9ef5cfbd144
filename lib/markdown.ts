/**
 * Escaping for Markdown that GitHub renders (job summaries, PR comments). GitHub passes inline HTML
 * through its sanitizer, so text such as `"<USD per period>"` loses its "tag" and shows as `""`:
 * angle brackets and ampersands become entities. Pipes would end a table cell; newlines would end the row.
 */
export function mdText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n/g, ' ');
}

/** Text for a table cell: mdText plus escaped pipes. */
export function mdCell(text: string): string {
  return mdText(text).replace(/\|/g, '\\|');
}

/**
 * Inline code for a table cell. Inside backticks entities are not decoded, so `<` stays literal (code
 * spans are not sanitized as HTML); only the pipe needs escaping, which GitHub honours inside tables.
 */
export function mdCode(text: string): string {
  const body = text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  return body.includes('`') ? `\`\` ${body} \`\`` : `\`${body}\``;
}
