// Passphrases of encrypted key files, asked once per key and kept in memory only (never on disk, never in
// the document). Concurrent connections needing the same key share one question.

export class PassphraseCache {
  private known = new Map<string, string>();
  private pending = new Map<string, Promise<string | undefined>>();

  /** The cached passphrase, or the answer to `ask` (undefined: the user gave none). */
  async get(path: string, ask: (path: string) => Promise<string | undefined>): Promise<string | undefined> {
    const cached = this.known.get(path);
    if (cached !== undefined) return cached;
    let p = this.pending.get(path);
    if (!p) {
      p = ask(path).finally(() => this.pending.delete(path));
      this.pending.set(path, p);
    }
    const answer = await p;
    if (answer !== undefined) this.known.set(path, answer);
    return answer;
  }

  /** Forgets a passphrase that turned out wrong, so it is asked again next time. */
  forget(path: string): void {
    this.known.delete(path);
  }

  clear(): void {
    this.known.clear();
  }
}
