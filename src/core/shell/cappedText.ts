// Keeps the head and the tail of a stream within a byte budget, counting what falls in between, so a cell
// printing gigabytes costs a bounded amount of memory while the first and last lines (usually the useful
// ones: the command's start and its error) are kept. Chunks stay strings (only byte lengths are computed):
// re-encoding every chunk of a huge output would cost more than everything else on the way.

export interface CappedResult {
  text: string;
  /** Bytes left out between head and tail (0 when nothing was cut). */
  cutBytes: number;
}

export function cutMarker(bytes: number): string {
  return `… ${bytes} bytes cut …`;
}

/** Cuts move to a line boundary when one is this close, so the marker sits on its own line. */
const LINE_SNAP = 1024;

export class CappedText {
  private readonly headLimit: number;
  private readonly tailLimit: number;
  private head: Buffer[] = [];
  private headBytes = 0;
  private tail: string[] = [];
  private tailSizes: number[] = [];
  private tailBytes = 0;
  private total = 0;

  constructor(maxBytes: number) {
    this.headLimit = Math.ceil(maxBytes / 2);
    this.tailLimit = Math.floor(maxBytes / 2);
  }

  get totalBytes(): number {
    return this.total;
  }

  push(text: string): void {
    if (!text) return;
    if (this.headBytes < this.headLimit) {
      // Only the first headLimit bytes are ever encoded here: the head fills once.
      const buf = Buffer.from(text, 'utf8');
      this.total += buf.length;
      let take = Math.min(buf.length, this.headLimit - this.headBytes);
      while (take > 0 && take < buf.length && isContinuation(buf[take])) take--; // whole characters only
      this.head.push(buf.subarray(0, take));
      this.headBytes += take;
      if (take < buf.length) {
        this.headBytes = this.headLimit; // full, even if a character boundary left it a few bytes short
        this.addTail(buf.subarray(take).toString('utf8'), buf.length - take);
      }
      return;
    }
    const size = Buffer.byteLength(text, 'utf8');
    this.total += size;
    this.addTail(text, size);
  }

  private addTail(text: string, size: number): void {
    if (!size) return;
    this.tail.push(text);
    this.tailSizes.push(size);
    this.tailBytes += size;
    // Drop whole chunks that lie entirely before the tail window; the first one is trimmed in result().
    while (this.tail.length > 1 && this.tailBytes - this.tailSizes[0]! >= this.tailLimit) {
      this.tailBytes -= this.tailSizes.shift()!;
      this.tail.shift();
    }
  }

  result(): CappedResult {
    let head = Buffer.concat(this.head);
    let tail = Buffer.from(this.tail.join(''), 'utf8');
    if (tail.length > this.tailLimit) tail = tail.subarray(tail.length - this.tailLimit);
    if (this.total === head.length + tail.length) {
      return { text: Buffer.concat([head, tail]).toString('utf8'), cutBytes: 0 };
    }
    head = head.subarray(0, headCut(head));
    tail = tail.subarray(tailCut(tail));
    const cutBytes = this.total - head.length - tail.length;
    const headText = head.toString('utf8');
    const sep = headText === '' || headText.endsWith('\n') ? '' : '\n';
    return { text: `${headText}${sep}${cutMarker(cutBytes)}\n${tail.toString('utf8')}`, cutBytes };
  }
}

/** Length of the head to keep: after its last line end if one is near, else on a character boundary. */
function headCut(head: Buffer): number {
  const nl = head.lastIndexOf(0x0a);
  if (nl >= 0 && head.length - nl <= LINE_SNAP) return nl + 1;
  let last = head.length - 1;
  while (last > 0 && isContinuation(head[last])) last--;
  return last >= 0 && last + seqLength(head[last]!) > head.length ? last : head.length;
}

/** Where the kept tail starts: after its first line end if one is near, else on a character boundary. */
function tailCut(tail: Buffer): number {
  const nl = tail.indexOf(0x0a);
  if (nl >= 0 && nl < LINE_SNAP) return nl + 1;
  let t = 0;
  while (t < tail.length && isContinuation(tail[t])) t++;
  return t;
}

function isContinuation(byte: number | undefined): boolean {
  return byte !== undefined && (byte & 0xc0) === 0x80;
}

function seqLength(lead: number): number {
  if (lead >= 0xf0) return 4;
  if (lead >= 0xe0) return 3;
  if (lead >= 0xc0) return 2;
  return 1;
}
