// Reading a big record ahead of VS Code (issue 17). When a record's tab opens, the window reads the file
// (in a remote or code-server setup, over the network), sends its bytes to the extension host and waits
// for the notebook data: the parse lay on that path. The extension host can read the same file from its own
// disk while the bytes travel, and have the notebook data ready when they arrive. Whatever arrives is what
// counts: the data read ahead is used only for bytes equal to those the window sent, once, and is dropped
// after `keepMs`; anything else (a file changed meanwhile, a backup, a small file) is parsed as it comes.
// Pure of `vscode`: the serializer passes in how it turns bytes into notebook data.
import { readFile, stat } from 'node:fs/promises';

export interface PrefetchOptions<T> {
  /** The notebook data of a file's bytes (throws on bytes the serializer would refuse: nothing is kept). */
  build(bytes: Uint8Array): T;
  /** Smaller files arrive before the read ahead could help: they are not read ahead. */
  minBytes?: number;
  /** Data read ahead and not asked for within this long is dropped. */
  keepMs?: number;
  /** At most this many bytes are held read ahead at once (the data built from them costs as much again). */
  maxHeldBytes?: number;
}

interface Entry<T> {
  path: string;
  bytes?: Buffer;
  value?: T;
  timer?: NodeJS.Timeout;
}

export class Prefetch<T> {
  private readonly entries = new Map<string, Entry<T>>();
  /** Lengths of the contents deserialized while reads were in flight: a read that lands after its file was
   * already parsed the usual way is not parsed a second time. */
  private readonly arrived = new Set<number>();
  private readonly minBytes: number;
  private readonly keepMs: number;
  private readonly maxHeldBytes: number;

  constructor(private readonly o: PrefetchOptions<T>) {
    this.minBytes = o.minBytes ?? 256 * 1024;
    this.keepMs = o.keepMs ?? 20_000;
    this.maxHeldBytes = o.maxHeldBytes ?? 64 * 1024 * 1024;
  }

  /** Starts reading `path` ahead (once per path at a time); resolves when it is ready or was not kept. */
  async start(path: string): Promise<void> {
    if (this.entries.has(path)) return;
    const entry: Entry<T> = { path };
    this.entries.set(path, entry);
    try {
      const size = (await stat(path)).size;
      if (size < this.minBytes || size + this.held() > this.maxHeldBytes) return this.drop(entry);
      const bytes = await readFile(path);
      if (this.entries.get(path) !== entry || this.arrived.has(bytes.length)) return this.drop(entry);
      // After the I/O callbacks of this turn: bytes the window sent meanwhile are deserialized first.
      await new Promise((r) => setImmediate(r));
      if (this.entries.get(path) !== entry || this.arrived.has(bytes.length)) return this.drop(entry);
      entry.value = this.o.build(bytes);
      entry.bytes = bytes;
      entry.timer = setTimeout(() => this.drop(entry), this.keepMs);
      entry.timer.unref?.();
    } catch {
      // Unreadable, gone, or refused by the serializer: the window's bytes are parsed as they come.
      this.drop(entry);
    } finally {
      if (![...this.entries.values()].some((e) => e.bytes === undefined)) this.arrived.clear();
    }
  }

  /** The data read ahead for exactly these bytes, once; undefined when there is none. */
  take(content: Uint8Array): T | undefined {
    for (const entry of this.entries.values()) {
      const bytes = entry.bytes;
      if (!bytes || bytes.length !== content.length || !bytes.equals(content)) continue;
      const value = entry.value;
      this.drop(entry);
      return value;
    }
    if (this.entries.size) this.arrived.add(content.length);
    return undefined;
  }

  /** Drops everything read ahead. */
  dispose(): void {
    for (const entry of [...this.entries.values()]) this.drop(entry);
  }

  private held(): number {
    let n = 0;
    for (const e of this.entries.values()) n += e.bytes?.length ?? 0;
    return n;
  }

  private drop(entry: Entry<T>): void {
    clearTimeout(entry.timer);
    if (this.entries.get(entry.path) === entry) this.entries.delete(entry.path);
  }
}
