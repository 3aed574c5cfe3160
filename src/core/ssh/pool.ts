// One connection per resolved target (and per jump hop), shared by every shell session, exec and tunnel
// to it. Passphrases are cached for the pool's life, in memory only.

import { SshConnection, type SshConnectionOptions } from './connection.js';
import { PassphraseCache } from './passphrases.js';
import { hopKey, type SshHop } from './targets.js';

export class SshPool {
  readonly passphrases: PassphraseCache;
  private readonly connections = new Map<string, SshConnection>();
  private readonly options: SshConnectionOptions;

  constructor(options: SshConnectionOptions) {
    this.passphrases = options.passphrases ?? new PassphraseCache();
    this.options = { ...options, passphrases: this.passphrases };
  }

  /** The connection for a hop (same user@host:port through the same jumps → same connection). */
  get(hop: SshHop): SshConnection {
    const key = hopKey(hop);
    let c = this.connections.get(key);
    if (!c) {
      c = new SshConnection(hop, this.options, (h) => this.get(h));
      this.connections.set(key, c);
    }
    return c;
  }

  /** Closes every connection (targets first, then the jump hosts they went through). */
  close(): void {
    const all = [...this.connections.values()].sort((a, b) => hopKey(b.hop).length - hopKey(a.hop).length);
    this.connections.clear();
    for (const c of all) c.close();
    this.passphrases.clear();
  }
}
