// Which variables a cell refers to, read the way the cell's own language reads them: the one answer the
// runner (which variables to ask for), the checks (undefined variables) and dry run (what to substitute)
// share. Shell cells go through the shell lexer, so `'$X'` in single quotes, comments and quoted
// here-documents are not references; HTTP and SQL cells use `{{X}}`; PromQL cells `{{X}}`, `${X}` and `$X`.
import { runnerOf } from '../format/languages.js';
import { scanShell, type ShellRef, type ShellScan } from './shellLexer.js';

const MUSTACHE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const PROMQL = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

export interface VariableReference {
  name: string;
  /** Where it is in the source: 0-based line, character range of the whole reference. */
  line: number;
  start: number;
  end: number;
  /** The reference as written (`$X`, `${X}`, `${X:-d}`'s `${X`, `{{ X }}`). */
  text: string;
  /** Shell only: `${X:-d}` and friends, which have a fallback (see ShellRef). */
  guarded: boolean;
  /** The plain forms `$X`, `${X}`, `{{X}}`, whose whole text is the value when substituted. */
  plain: boolean;
}

/** Every variable reference of a cell, in source order. */
export function variableReferences(source: string, language: string): VariableReference[] {
  const runner = runnerOf(language);
  if (runner === 'shell') return shellReferences(source);
  if (runner === 'http' || runner === 'sql') return patternReferences(source, MUSTACHE);
  if (runner === 'prometheus') return patternReferences(source, PROMQL);
  return [];
}

/** The names a cell refers to (the variables to ask for before it runs). */
export function referencedNames(source: string, language: string): Set<string> {
  return new Set(variableReferences(source, language).map((r) => r.name));
}

/** A shell cell's references (pass its scan when you have one: the checks read its blanked code too). */
export function shellReferences(source: string, scan: ShellScan = scanShell(source)): VariableReference[] {
  const lines = source.split('\n');
  return scan.refs.map((r: ShellRef) => {
    const text = (lines[r.line] ?? '').slice(r.start, r.end);
    return { name: r.name, line: r.line, start: r.start, end: r.end, text, guarded: r.guarded, plain: text === `$${r.name}` || text === `\${${r.name}}` };
  });
}

function patternReferences(source: string, re: RegExp): VariableReference[] {
  const out: VariableReference[] = [];
  source.split('\n').forEach((line, lineNo) => {
    for (const m of line.matchAll(re)) {
      out.push({ name: (m[1] ?? m[2] ?? m[3])!, line: lineNo, start: m.index, end: m.index + m[0].length, text: m[0], guarded: false, plain: true });
    }
  });
  return out;
}
