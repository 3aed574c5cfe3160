// Small helpers for writing GitHub-flavoured markdown safely (table cells, inline code).

/** Text for a table cell: one line, pipes escaped. */
export function cellText(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').trim();
}

/** An inline code span that survives backticks inside the text. */
export function codeSpan(text: string): string {
  const one = text.replace(/\r?\n/g, ' ');
  let longest = 0;
  for (const m of one.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const ticks = '`'.repeat(longest + 1);
  const pad = one.startsWith('`') || one.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${one}${pad}${ticks}`;
}

/** A markdown table (header + rows), every cell escaped. */
export function table(header: string[], rows: string[][], align?: string[]): string {
  const line = (cells: string[]) => `| ${cells.map((c) => c || ' ').join(' | ')} |`;
  return [line(header), line(align ?? header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The first meaningful line of a command (no shebang, no comment), shortened. */
export function commandSummary(source: string, max = 72): string {
  const lines = source.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#') && !l.startsWith('--'));
  const first = lines[0] ?? source.trim().split('\n')[0] ?? '';
  const more = lines.length > 1 ? ' …' : '';
  return first.length > max ? `${first.slice(0, max - 1)}…` : first + more;
}
