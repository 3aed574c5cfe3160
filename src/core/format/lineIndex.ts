// Line boundaries of a text, computed once. A line ends at "\n" (its "\r" if any belongs to the ending);
// a final line without a terminator still counts, an empty tail after the last "\n" does not.

export class LineIndex {
  /** Offset where each line starts; `starts[count]` is the text length. */
  readonly starts: number[] = [];
  /** Offset where each line's content ends (before "\r\n" or "\n"). */
  readonly ends: number[] = [];

  constructor(readonly text: string) {
    let pos = 0;
    const n = text.length;
    while (pos < n) {
      const nl = text.indexOf('\n', pos);
      this.starts.push(pos);
      if (nl === -1) {
        this.ends.push(n);
        pos = n;
      } else {
        this.ends.push(nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl);
        pos = nl + 1;
      }
    }
    this.starts.push(n);
  }

  get count(): number {
    return this.ends.length;
  }

  line(i: number): string {
    return this.text.slice(this.starts[i], this.ends[i]);
  }

  isBlank(i: number): boolean {
    const t = this.text;
    for (let p = this.starts[i]!, e = this.ends[i]!; p < e; p++) {
      const c = t.charCodeAt(p);
      if (c !== 32 && c !== 9) return false;
    }
    return true;
  }
}
