// Redaction of output that arrives in chunks. A secret or token may be split across two chunks, so text is
// released a whole line at a time (credential shapes never span lines, except private-key blocks, which are
// held until their END line). Only an overlong line is released in pieces, keeping back enough characters
// for the longest secret value.

import type { Redactor } from './redactor.js';
import { tag } from './patterns.js';

export interface StreamRedactor {
  /** Adds a chunk; returns the redacted text that is safe to show now (may be ""). */
  push(chunk: string): string;
  /** Releases a held partial line (the stream went quiet); private-key blocks and secret beginnings stay held. */
  flush(): string;
  /** End of stream: releases everything. */
  end(): string;
}

export interface StreamRedactorOptions {
  /** A line longer than this is released in pieces (default 16 KiB). */
  maxLine?: number;
  /** A private-key block longer than this is not held further: the rest is dropped until its END line. */
  maxKeyBlock?: number;
}

const BEGIN_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/g;
const END_KEY = /-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/;

export function createStreamRedactor(redact: Redactor, options: StreamRedactorOptions = {}): StreamRedactor {
  const maxLine = options.maxLine ?? 16 * 1024;
  const maxKeyBlock = options.maxKeyBlock ?? 64 * 1024;
  const keep = Math.max(redact.maxSecretLength, 1024);
  let buf = '';
  let dropping = false; // inside an overlong private-key block

  const release = (mode: 'lines' | 'idle' | 'end'): string => {
    if (dropping) {
      const end = END_KEY.exec(buf);
      if (!end && mode !== 'end') {
        buf = buf.slice(-128); // the END line may be split across chunks
        return '';
      }
      buf = end ? buf.slice(end.index + end[0].length) : '';
      dropping = false;
    }
    if (mode === 'end') {
      const out = redact(buf);
      buf = '';
      return out;
    }
    let limit = lastBreak(buf, buf.length - 1) + 1;
    // A quiet stream shows its partial line, unless it may be the start of a key block's BEGIN line,
    // except for an end that could be the first part of a secret value.
    if (mode === 'idle' && !buf.includes('-----', limit)) limit = buf.length - redact.partialSecretAtEnd(buf);
    // A secret value spanning lines must not be cut at a line break either.
    if (mode === 'lines' && redact.maxMultilineSecretLength > 0) {
      limit = Math.min(limit, lastBreak(buf, buf.length - redact.maxMultilineSecretLength) + 1);
    }
    if (limit === 0 && buf.length > maxLine) limit = safeCut(buf, buf.length - keep, maxLine);
    // A key block must go out whole: hold from its BEGIN while the part to release lacks its END.
    const open = openKeyBlock(buf.slice(0, limit));
    if (open >= 0) {
      if (buf.length - open > maxKeyBlock) {
        const before = redact(buf.slice(0, open)) + tag('PRIVATE_KEY');
        buf = buf.slice(open);
        dropping = true;
        return before + release(mode);
      }
      limit = open; // hold the block until its END line arrives
    }
    const out = buf.slice(0, limit);
    buf = buf.slice(limit);
    return out ? redact(out) : '';
  };

  return {
    push(chunk) {
      buf += chunk;
      return release('lines');
    },
    flush: () => release('idle'),
    end: () => release('end'),
  };
}

/** Index of the last "\n" or "\r" at or before `from` (-1 if none). */
function lastBreak(text: string, from: number): number {
  if (from < 0) return -1;
  let at = text.lastIndexOf('\n', from);
  // A "\r" after the last "\n" (progress lines); searching forward from there avoids scanning the whole chunk.
  for (let r = text.indexOf('\r', at + 1); r >= 0 && r <= from; r = text.indexOf('\r', r + 1)) at = r;
  return at;
}

/** Start of a private-key block whose END line has not arrived yet, or -1. */
function openKeyBlock(text: string): number {
  if (!text.includes('PRIVATE KEY')) return -1;
  let last = -1;
  BEGIN_KEY.lastIndex = 0;
  for (let m = BEGIN_KEY.exec(text); m; m = BEGIN_KEY.exec(text)) last = m.index;
  if (last < 0) return -1;
  return END_KEY.test(text.slice(last)) ? -1 : last;
}

/** A key and its value, or a scheme and its credential, must not be cut apart. */
const OPENS_VALUE = /(?:[:=,]|\b(?:bearer|basic|token|digest|password|passwd|login|machine)|(?:^|\s)-[up]|--(?:proxy-)?user|--password)["']?$/i;

/**
 * Where to cut an overlong line at or before `at`: after whitespace that does not separate a key from its
 * value (credential shapes contain no whitespace), else after a list separator, else at `at` itself.
 * Looks back at most `window` characters.
 */
function safeCut(text: string, at: number, window: number): number {
  const from = Math.max(0, at - window);
  for (let i = at; i > from; i--) {
    if (text[i - 1] !== ' ' && text[i - 1] !== '\t') continue;
    if (!OPENS_VALUE.test(text.slice(Math.max(0, i - 40), i).trimEnd())) return i;
  }
  for (let i = at; i > from; i--) if (',;&'.includes(text[i - 1]!)) return i;
  return at;
}
