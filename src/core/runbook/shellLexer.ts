// A small shell lexer: finds `$NAME` / `${NAME...}` references outside single quotes,
// comments and quoted here-documents, and returns the source with everything that is not code (quoted
// text, comments, here-document bodies) blanked out, so assignments can be found with simple patterns.

export interface ShellRef {
  name: string;
  /** 0-based line in the source and character range of the whole `$NAME` / `${NAME`. */
  line: number;
  start: number;
  end: number;
  /** `${NAME:-x}`, `${NAME-x}`, `${NAME:?x}`, `${NAME:+x}`, `${#NAME}`, `${!NAME}`: no "undefined" problem. */
  guarded: boolean;
  /** `${NAME:=x}` / `${NAME=x}` assigns the name. */
  assigns: boolean;
}

export interface ShellScan {
  refs: ShellRef[];
  /** The source, same length and lines, with quoted text, comments and here-document bodies blanked. */
  code: string;
}

type Frame = { kind: 'code' } | { kind: 'dq' } | { kind: 'cmd'; depth: number } | { kind: 'brace' };
interface Heredoc { delim: string; quoted: boolean; strip: boolean }

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const HEREDOC = /<<(-?)[ \t]*(?:'([^'\n]+)'|"([^"\n]+)"|(\\?)([A-Za-z0-9_.-]+))/y;
const BODY_REF = /\\.|\$\{([#!]?)([A-Za-z_][A-Za-z0-9_]*)(:?[-=?+])?|\$([A-Za-z_][A-Za-z0-9_]*)/g;

export function scanShell(source: string): ShellScan {
  return new Lexer(source).run();
}

class Lexer {
  private readonly out: string[];
  private readonly refs: ShellRef[] = [];
  private readonly stack: Frame[] = [{ kind: 'code' }];
  private dq = 0;
  private pending: Heredoc[] = [];
  private readonly lineStarts: number[] = [0];

  constructor(private readonly s: string) {
    this.out = s.split('');
    for (let i = 0; i < s.length; i++) if (s[i] === '\n') this.lineStarts.push(i + 1);
  }

  run(): ShellScan {
    const s = this.s;
    let i = 0;
    while (i < s.length) {
      const c = s[i]!;
      const top = this.stack[this.stack.length - 1]!;
      if (c === '\n') {
        i = this.pending.length && !this.dq ? this.heredocs(i + 1) : i + 1;
        continue;
      }
      if (this.dq) this.blank(i, i + 1);
      if (top.kind === 'dq') {
        if (c === '\\') { this.blank(i, i + 2); i += 2; continue; }
        if (c === '"') { this.stack.pop(); this.dq--; i++; continue; }
        if (c === '$') { i = this.dollar(i); continue; }
        i++;
        continue;
      }
      if (c === '\\') { i += 2; continue; }
      if (c === "'") { i = this.skipSingle(i, false); continue; }
      if (c === '"') { this.blank(i, i + 1); this.stack.push({ kind: 'dq' }); this.dq++; i++; continue; }
      if (c === '#' && top.kind !== 'brace' && (i === 0 || /[\s;&|(]/.test(s[i - 1]!))) {
        const eol = s.indexOf('\n', i);
        const end = eol === -1 ? s.length : eol;
        this.blank(i, end);
        i = end;
        continue;
      }
      if (c === '$') { i = this.dollar(i); continue; }
      if (c === '<' && s[i + 1] === '<' && s[i + 2] !== '<') { i = this.heredocOperator(i); continue; }
      if (top.kind === 'cmd') {
        if (c === '(') top.depth++;
        else if (c === ')') {
          if (top.depth === 0) this.stack.pop();
          else top.depth--;
        }
      } else if (top.kind === 'brace' && c === '}') {
        this.stack.pop();
      }
      i++;
    }
    return { refs: this.refs, code: this.out.join('') };
  }

  private blank(from: number, to: number): void {
    for (let k = from; k < Math.min(to, this.s.length); k++) if (this.s[k] !== '\n') this.out[k] = ' ';
  }

  /** `'...'` (or `$'...'` with backslash escapes when `ansi`): returns the index after the closing quote. */
  private skipSingle(i: number, ansi: boolean): number {
    const s = this.s;
    let j = i + (ansi ? 2 : 1);
    while (j < s.length && s[j] !== "'") j += ansi && s[j] === '\\' ? 2 : 1;
    this.blank(i, j + 1);
    return Math.min(j + 1, s.length);
  }

  private dollar(i: number): number {
    const s = this.s;
    const next = s[i + 1];
    if (next === "'" && !this.dq) return this.skipSingle(i, true);
    if (next === '(') { this.stack.push({ kind: 'cmd', depth: 0 }); return i + 2; }
    if (next === '{') {
      let j = i + 2;
      const prefix = s[j] === '#' || s[j] === '!' ? s[j]! : '';
      if (prefix) j++;
      NAME.lastIndex = j;
      const m = NAME.exec(s);
      this.stack.push({ kind: 'brace' });
      if (!m) return i + 2;
      const after = j + m[0].length;
      const op = /^:?[-=?+]/.exec(s.slice(after, after + 2))?.[0] ?? '';
      // A plain `${NAME}` is reported with its closing brace.
      const end = s[after] === '}' && !prefix ? after + 1 : after;
      this.ref(m[0], i, end, !!prefix || op !== '', op.endsWith('='));
      if (end > after) this.stack.pop();
      return end;
    }
    NAME.lastIndex = i + 1;
    const m = next !== undefined ? NAME.exec(s) : null;
    if (!m) return i + 1;
    this.ref(m[0], i, i + 1 + m[0].length, false, false);
    return i + 1 + m[0].length;
  }

  private ref(name: string, from: number, to: number, guarded: boolean, assigns: boolean): void {
    let line = this.lineStarts.length - 1;
    while (this.lineStarts[line]! > from) line--;
    const base = this.lineStarts[line]!;
    this.refs.push({ name, line, start: from - base, end: to - base, guarded, assigns });
  }

  private heredocOperator(i: number): number {
    HEREDOC.lastIndex = i;
    const m = HEREDOC.exec(this.s);
    if (!m) return i + 2;
    const quoted = m[2] !== undefined || m[3] !== undefined || m[4] === '\\';
    this.pending.push({ delim: m[2] ?? m[3] ?? m[5]!, quoted, strip: m[1] === '-' });
    return i + m[0].length;
  }

  /** Reads the bodies of the pending here-documents starting at `pos`; returns the index after them. */
  private heredocs(pos: number): number {
    const s = this.s;
    for (const doc of this.pending) {
      while (pos < s.length) {
        const eol = s.indexOf('\n', pos);
        const end = eol === -1 ? s.length : eol;
        const line = s.slice(pos, end);
        this.blank(pos, end);
        const next = eol === -1 ? s.length : eol + 1;
        if ((doc.strip ? line.replace(/^\t+/, '') : line).replace(/\r$/, '') === doc.delim) { pos = next; break; }
        if (!doc.quoted) {
          for (const m of line.matchAll(BODY_REF)) {
            if (m[0].startsWith('\\')) continue;
            const name = m[2] ?? m[4]!;
            const op = m[3] ?? '';
            const close = m[2] !== undefined && !op && !m[1] && line[m.index! + m[0].length] === '}' ? 1 : 0;
            this.ref(name, pos + m.index!, pos + m.index! + m[0].length - op.length + close, !!m[1] || op !== '', op.endsWith('='));
          }
        }
        pos = next;
      }
    }
    this.pending = [];
    return pos;
  }
}
