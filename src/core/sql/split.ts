// Splits a SQL cell into statements the way each server's own client does: semicolons inside quotes,
// comments, PostgreSQL dollar quotes and SQLite trigger bodies do not end a statement. For PostgreSQL the
// rules are psql's (psqlscan.l): no end inside parentheses nor inside the BEGIN … END body of a
// CREATE [OR REPLACE] FUNCTION/PROCEDURE (BEGIN ATOMIC, PostgreSQL 14+), `E''` strings take backslash
// escapes (and '' strings too after `SET standard_conforming_strings = off`), and a backslash outside a
// string starts a psql meta-command (\echo, \gset, \x), which a cell does not run: it is returned marked
// `meta` so the executor refuses the cell, naming the line, before anything is sent. Each statement keeps
// its offset in the cell, so a server's error position maps back to a line and column of the cell.

export type SqlDialect = 'sqlite' | 'postgres' | 'mysql';

export interface SqlStatement {
  /** The statement as written, from its first non-blank character up to (not including) its `;`. */
  text: string;
  /** Offset of `text` in the cell source. */
  start: number;
  /** `text` with the inside of string literals and quoted names and all comments blanked (same length). */
  code: string;
  /** A sqlite3 CLI dot-command (`.tables`): one line, no `;`. */
  dot?: boolean;
  /** A psql meta-command (`\gset`, `\echo …`): `text` is the command, up to the end of its line. */
  meta?: boolean;
}

const IDENT = /[A-Za-z0-9_$\u0080-\uffff]/;

/** The statements of a cell; comment-only and empty pieces are left out. */
export function splitStatements(source: string, dialect: SqlDialect): SqlStatement[] {
  const out: SqlStatement[] = [];
  const n = source.length;
  let i = 0;
  let start = -1; // start of the current statement (first significant char), -1 before one begins
  let code: string[] = [];
  let hasCode = false;
  let trigger: boolean | undefined; // sqlite: statement is CREATE TRIGGER (semicolons end it only after END)
  let lastWord = '';
  // psql's state: parentheses, BEGIN … END depth in a function body, the first identifiers' initials.
  let parens = 0;
  let beginDepth = 0;
  let initials: string[] = [];
  let identifiers = 0;
  let stdStrings = true;

  const begin = (at: number): void => {
    if (start < 0) {
      start = at;
      code = [];
      hasCode = false;
      trigger = undefined;
      lastWord = '';
      parens = 0;
      beginDepth = 0;
      initials = [];
      identifiers = 0;
    }
  };
  const emit = (end: number): void => {
    if (start >= 0 && hasCode) {
      let e = end;
      while (e > start && /\s/.test(source[e - 1]!)) e--;
      const st = { text: source.slice(start, e), start, code: code.join('').slice(0, e - start) };
      out.push(st);
      if (dialect === 'postgres') {
        const scs = /^\s*SET\s+(?:SESSION\s+|LOCAL\s+)?standard_conforming_strings\s*(?:=|TO)\s*'?(\w+)'?\s*$/i.exec(st.text.replace(/^(?:\s*--[^\n]*\n)+/, ''));
        if (scs) stdStrings = !/^(off|false|0|no)$/i.test(scs[1]!);
      }
    }
    start = -1;
  };
  const blank = (from: number, to: number): void => {
    for (let k = from; k < to; k++) code.push(source[k] === '\n' || source[k] === '\r' ? source[k]! : ' ');
  };

  while (i < n) {
    const c = source[i]!;
    const next = source[i + 1];
    // sqlite3 CLI dot-commands: a line starting with "." where a statement would begin.
    if (dialect === 'sqlite' && start < 0 && c === '.' && (i === 0 || source[i - 1] === '\n' || /^[ \t]*$/.test(lineBefore(source, i)))) {
      const eol = source.indexOf('\n', i);
      const end = eol < 0 ? n : eol;
      const text = source.slice(i, end).replace(/\s+$/, '');
      out.push({ text, start: i, code: text, dot: true });
      i = end;
      continue;
    }
    if (/\s/.test(c)) {
      if (start >= 0) code.push(c);
      i++;
      continue;
    }
    // Comments.
    if ((c === '-' && next === '-' && (dialect !== 'mysql' || /[\s]/.test(source[i + 2] ?? ' '))) || (c === '#' && dialect === 'mysql')) {
      const eol = source.indexOf('\n', i);
      const end = eol < 0 ? n : eol;
      begin(i);
      blank(i, end);
      i = end;
      continue;
    }
    if (c === '/' && next === '*') {
      const end = blockCommentEnd(source, i, dialect === 'postgres');
      begin(i);
      blank(i, end);
      i = end;
      continue;
    }
    if (c === '\\' && dialect === 'postgres') {
      // psql: a backslash outside quotes starts a meta-command, which runs to the end of the line.
      const eol = source.indexOf('\n', i);
      const end = eol < 0 ? n : eol;
      out.push({ text: source.slice(i, end).replace(/\s+$/, ''), start: i, code: source.slice(i, end), meta: true });
      i = end;
      continue;
    }
    if (dialect === 'postgres' && (c === '(' || c === ')')) {
      begin(i);
      hasCode = true;
      parens = Math.max(0, parens + (c === '(' ? 1 : -1));
      code.push(c);
      lastWord = '';
      i++;
      continue;
    }
    if (c === ';') {
      if (dialect === 'postgres' && start >= 0 && (parens > 0 || beginDepth > 0)) {
        code.push(c);
        i++;
        continue;
      }
      if (start >= 0 && trigger && lastWord !== 'END') {
        code.push(c);
        i++;
        continue;
      }
      emit(i);
      i++;
      continue;
    }
    begin(i);
    hasCode = true;
    // Quoted text.
    const quoteEnd = quotedEnd(source, i, dialect, stdStrings);
    if (quoteEnd > i) {
      code.push(c);
      blank(i + 1, quoteEnd - 1);
      if (quoteEnd - 1 > i) code.push(source[quoteEnd - 1]!);
      i = quoteEnd;
      lastWord = '';
      continue;
    }
    if (IDENT.test(c)) {
      let j = i + 1;
      while (j < n && IDENT.test(source[j]!)) j++;
      const word = source.slice(i, j).toUpperCase();
      for (let k = i; k < j; k++) code.push(source[k]!);
      if (dialect === 'sqlite' && trigger === undefined) trigger = isCreateTrigger(code.join(''));
      if (dialect === 'postgres' && !/^\d/.test(word)) {
        // psqlscan.l: inside CREATE [OR REPLACE] FUNCTION|PROCEDURE, outside parentheses, BEGIN opens a
        // body, CASE nests in it, END closes.
        if (identifiers < 4) initials.push(['CREATE', 'FUNCTION', 'PROCEDURE', 'OR', 'REPLACE'].includes(word) ? word[0]! : '');
        identifiers++;
        const [a, b, c2, d] = initials;
        const routine = a === 'C' && (b === 'F' || b === 'P' || (b === 'O' && c2 === 'R' && (d === 'F' || d === 'P')));
        if (routine && parens === 0) {
          if (word === 'BEGIN') beginDepth++;
          else if (word === 'CASE' && beginDepth >= 1) beginDepth++;
          else if (word === 'END' && beginDepth > 0) beginDepth--;
        }
      }
      lastWord = word;
      i = j;
      continue;
    }
    code.push(c);
    lastWord = '';
    i++;
  }
  emit(n);
  return out;
}

function lineBefore(source: string, i: number): string {
  return source.slice(source.lastIndexOf('\n', i - 1) + 1, i);
}

/** True once enough of a statement is seen to tell whether it creates a trigger (undefined: not yet). */
function isCreateTrigger(code: string): boolean | undefined {
  const words = code.trim().toUpperCase().split(/\s+/);
  if (words[0] !== 'CREATE') return false;
  const w = words.filter((x) => x !== 'TEMP' && x !== 'TEMPORARY');
  if (w.length < 2) return undefined;
  return w[1] === 'TRIGGER';
}

/** End (exclusive) of a block comment starting at `i`; PostgreSQL nests them. Unclosed: end of text. */
function blockCommentEnd(s: string, i: number, nested: boolean): number {
  let depth = 0;
  let j = i;
  while (j < s.length) {
    if (s[j] === '/' && s[j + 1] === '*') {
      depth = nested ? depth + 1 : 1;
      j += 2;
    } else if (s[j] === '*' && s[j + 1] === '/') {
      depth--;
      j += 2;
      if (depth === 0) return j;
    } else j++;
  }
  return s.length;
}

/**
 * If a quoted token starts at `i`, its end (exclusive; end of text when unclosed); otherwise `i`.
 * Quotes: '...' everywhere ('' escapes it; backslash escapes too in MySQL and in PostgreSQL E'...'),
 * "..." and `...` names (MySQL: "..." is a string with backslash escapes), [...] names in SQLite and
 * PostgreSQL $tag$...$tag$ bodies.
 */
function quotedEnd(s: string, i: number, dialect: SqlDialect, stdStrings = true): number {
  const c = s[i]!;
  if (c === "'" || c === '"' || c === '`') {
    if (c === '`' && dialect === 'postgres') return i;
    const eString = /[eE]/.test(s[i - 1] ?? '') && !IDENT.test(s[i - 2] ?? ' ');
    const backslash = dialect === 'mysql' && c !== '`' || (dialect === 'postgres' && c === "'" && (eString || !stdStrings));
    let j = i + 1;
    while (j < s.length) {
      const d = s[j]!;
      if (backslash && d === '\\') {
        j += 2;
        continue;
      }
      if (d === c) {
        if (s[j + 1] === c) {
          j += 2;
          continue;
        }
        return j + 1;
      }
      j++;
    }
    return s.length;
  }
  if (c === '[' && dialect === 'sqlite') {
    const j = s.indexOf(']', i + 1);
    return j < 0 ? s.length : j + 1;
  }
  if (c === '$' && dialect === 'postgres' && !IDENT.test(s[i - 1] ?? ' ')) {
    const m = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(s.slice(i, i + 64));
    if (!m) return i;
    const tag = m[0];
    const j = s.indexOf(tag, i + tag.length);
    return j < 0 ? s.length : j + tag.length;
  }
  return i;
}

/** 1-based line and column of an offset in `text`. */
export function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text[k] === '\n') {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, col: offset - lineStart + 1 };
}

/** The first keyword of a statement (upper case), comments skipped: SELECT, UPDATE, WITH, ... */
export function firstKeyword(statement: SqlStatement): string {
  return /[A-Za-z_]+/.exec(statement.code)?.[0]?.toUpperCase() ?? '';
}
