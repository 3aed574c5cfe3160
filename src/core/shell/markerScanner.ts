// Finds marker lines (framing.ts) in one output stream as it arrives in arbitrary chunks. A marker may be
// split across chunks, so a suffix that could be the start of one is held back until the next chunk.
// Markers need not start a line: output without a final newline is followed directly by the marker.

import { parseMarkerBody, type Marker } from './framing.js';

/** Items in stream order: output text, and the markers found between it. */
export type ScanItem = string | Marker;

/** A marker line is short; a "prefix" followed by more than this without a newline is ordinary text. */
const MAX_BODY = 64;

export class MarkerScanner {
  private held = '';

  constructor(private readonly prefix: string) {}

  push(chunk: string): ScanItem[] {
    let buf = this.held + chunk;
    this.held = '';
    const items: ScanItem[] = [];
    let from = 0;
    for (;;) {
      const at = buf.indexOf(this.prefix, from);
      if (at < 0) break;
      const bodyStart = at + this.prefix.length;
      const nl = buf.indexOf('\n', bodyStart);
      if (nl < 0) {
        if (buf.length - bodyStart <= MAX_BODY) {
          // Possibly a marker whose line end has not arrived yet.
          if (at > 0) items.push(buf.slice(0, at));
          this.held = buf.slice(at);
          return items;
        }
        from = bodyStart;
        continue;
      }
      const marker = nl - bodyStart <= MAX_BODY ? parseMarkerBody(buf.slice(bodyStart, nl)) : undefined;
      if (!marker) {
        from = bodyStart;
        continue;
      }
      if (at > 0) items.push(buf.slice(0, at));
      items.push(marker);
      buf = buf.slice(nl + 1);
      from = 0;
    }
    const keep = partialPrefixLength(buf, this.prefix);
    const text = keep ? buf.slice(0, buf.length - keep) : buf;
    if (keep) this.held = buf.slice(buf.length - keep);
    if (text) items.push(text);
    return items;
  }

  /** Releases whatever is held back (end of stream). */
  flush(): string {
    const rest = this.held;
    this.held = '';
    return rest;
  }
}

/** Length of the longest suffix of `text` that is a proper prefix of `token`. */
function partialPrefixLength(text: string, token: string): number {
  for (let k = Math.min(text.length, token.length - 1); k > 0; k--) {
    if (text.endsWith(token.slice(0, k))) return k;
  }
  return 0;
}
