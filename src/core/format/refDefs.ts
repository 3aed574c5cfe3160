// Whether a paragraph's text is only link reference definitions, which may span lines (`[a]:` with the
// destination on the next line, a title on the line after): CommonMark resolves them before a setext underline,
// so such a paragraph followed by `===` or `---` is no heading, and the paragraph stays open (a list item
// starting at 0 or 2 cannot interrupt it). One reader for one line and several.

const LABEL = /\[(?:[^[\]\\]|\\[^])*\]:/y;
const SPACE_NL = /[ \t]*(?:\n[ \t]*)?/y;
const DESTINATION = /<(?:[^<>\\\n]|\\.)*>|[^\s<]\S*/y;
const TITLE = /"(?:[^"\\]|\\[^])*"|'(?:[^'\\]|\\[^])*'|\((?:[^()\\]|\\[^])*\)/y;
const LINE_END = /[ \t]*(?:\n|$)/y;

/** Where `re` matches at `at` (sticky), or -1. */
function matchAt(re: RegExp, s: string, at: number): number {
  re.lastIndex = at;
  return re.test(s) ? re.lastIndex : -1;
}

/** The end of the definition at `at` (after its line end), or -1. */
function definition(s: string, at: number): number {
  const label = matchAt(LABEL, s, at);
  // A label holds at most 999 characters, one of them not a space.
  if (label < 0 || label - at > 1002 || !/[^\s]/.test(s.slice(at + 1, label - 2))) return -1;
  const dest = matchAt(DESTINATION, s, matchAt(SPACE_NL, s, label));
  if (dest < 0) return -1;
  const space = matchAt(SPACE_NL, s, dest);
  if (space > dest) {
    const title = matchAt(TITLE, s, space);
    const end = title < 0 ? -1 : matchAt(LINE_END, s, title);
    if (end >= 0) return end;
  }
  return matchAt(LINE_END, s, dest);
}

/** Whether `lines` (a paragraph's lines without their indentation) are link reference definitions only. */
export function onlyRefDefs(lines: string[]): boolean {
  const s = lines.join('\n');
  let at = 0;
  while (at < s.length) {
    const next = definition(s, at);
    if (next <= at) return false;
    at = next;
  }
  return true;
}
