// Output that arrives while no cell runs (a background job of an earlier cell, e.g. `tail -f log &`). It is
// shown at the start of the next cell, as a terminal would show it before the next prompt; only the last
// 64 KiB per stream are kept so a chatty background job cannot grow memory.

const KEEP = 64 * 1024;

export interface StreamSink {
  stdout: { push(text: string): void };
  stderr: { push(text: string): void };
}

export class IdleOutput {
  private text = { stdout: '', stderr: '' };

  push(stream: 'stdout' | 'stderr', chunk: string): void {
    const next = this.text[stream] + chunk;
    this.text[stream] = next.length > KEEP ? next.slice(next.length - KEEP) : next;
  }

  drainInto(sink: StreamSink): void {
    for (const s of ['stdout', 'stderr'] as const) {
      if (this.text[s]) sink[s].push(this.text[s]);
      this.text[s] = '';
    }
  }
}
