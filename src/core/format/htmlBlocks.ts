// The seven kinds of CommonMark HTML blocks (spec §4.6): how each starts and what ends it. Fences inside an
// HTML block are HTML, not code, so the block scanner must know where each one ends.

/** What ends an open HTML block: a pattern on one of its lines, or the next blank line. */
export type HtmlEnd = RegExp | 'blank' | null;

const BLOCK_TAGS = 'address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|' +
  'dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h1|h2|h3|h4|h5|h6|head|header|hr|html|iframe|' +
  'legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|' +
  'tfoot|th|thead|title|tr|track|ul';
const OPEN_TAG = '<[A-Za-z][A-Za-z0-9\\-]*(?:\\s+[a-zA-Z_:][a-zA-Z0-9:._-]*(?:\\s*=\\s*(?:[^"\'=<>`\\x00-\\x20]+|\'[^\']*\'|"[^"]*"))?)*\\s*\\/?>';
const CLOSE_TAG = '<\\/[A-Za-z][A-Za-z0-9\\-]*\\s*>';

const KINDS: [RegExp, RegExp][] = [
  [/^<(?:script|pre|style|textarea)(?=\s|>|$)/i, /<\/(?:script|pre|style|textarea)>/i],
  [/^<!--/, /-->/],
  [/^<\?/, /\?>/],
  [/^<![A-Za-z]/, />/],
  [/^<!\[CDATA\[/, /\]\]>/],
];
const KIND6 = new RegExp(`^</?(?:${BLOCK_TAGS})(?=\\s|/?>|$)`, 'i');
const KIND7 = new RegExp(`^(?:${OPEN_TAG}|${CLOSE_TAG})\\s*$`);

/**
 * The end condition of the HTML block that `rest` (a line from its first non-space, starting with "<")
 * opens, or undefined when it opens none. Kind 7 (any complete tag alone on its line) cannot interrupt a
 * paragraph.
 */
export function htmlBlockStart(rest: string, mayInterrupt7: boolean): RegExp | 'blank' | undefined {
  for (const [start, end] of KINDS) if (start.test(rest)) return end;
  if (KIND6.test(rest)) return 'blank';
  if (mayInterrupt7 && KIND7.test(rest)) return 'blank';
  return undefined;
}

/** A line that ends an HTML block left open by `start` (its first line), for text written after it. */
export function htmlCloser(start: string): string {
  const tag = /^<(script|pre|style|textarea)/i.exec(start);
  if (tag) return `</${tag[1]!.toLowerCase()}>`;
  if (start.startsWith('<!--')) return '-->';
  if (start.startsWith('<?')) return '?>';
  if (start.startsWith('<![CDATA[')) return ']]>';
  return '>';
}
