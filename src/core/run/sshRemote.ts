// Remote targets over SSH for the run layer: resolves host names (front matter `hosts:`, ~/.ssh/config),
// gives each target's shell transport, SSH port forwards for SQL/HTTP tunnels, and a command runner for the
// target host's sqlite3. One pool of connections per notebook (or CLI run), closed with it.
import type { FrontMatter } from '../format/frontMatter.js';
import type { Connect, Forward } from '../http/tunnel.js';
import type { CommandResult, CommandRunner } from '../sql/commandRunner.js';
import type { TransportFactory } from '../shell/transport.js';
import { quoteShell } from '../shell/quote.js';
import type { SshAsk } from '../ssh/connection.js';
import { SshPool } from '../ssh/pool.js';
import { sshTransport } from '../ssh/sshTransport.js';
import { defaultTargetEnv, readUserSshConfig, resolveTarget, type SshHop, type TargetEnv } from '../ssh/targets.js';
import type { ResolvedTarget } from '../contract/types.js';
import { sshHostNames } from '../runbook/targets.js';

export interface SshRemoteOptions {
  ask: SshAsk;
  /** ~/.ssh/config text (default: read from the user's home). */
  sshConfigText?: string;
  env?: TargetEnv;
  knownHostsFiles?: string[];
}

export class SshRemote {
  private readonly pool: SshPool;
  private readonly hops = new Map<string, SshHop>();
  private readonly env: TargetEnv;
  private readonly configText: string | undefined;
  private lastHosts: FrontMatter['hosts'];
  private hostNames: string[] | undefined;

  constructor(o: SshRemoteOptions) {
    this.env = o.env ?? defaultTargetEnv();
    this.configText = o.sshConfigText ?? readUserSshConfig(this.env);
    this.pool = new SshPool({ ask: o.ask, ...(o.knownHostsFiles ? { knownHostsFiles: o.knownHostsFiles } : {}) });
  }

  /** RemoteResolver for targetResolver(): the runbook name of a host → where it really is. */
  readonly resolve = (name: string, fm: FrontMatter | undefined): ResolvedTarget => {
    this.lastHosts = fm?.hosts;
    const { target, ssh } = resolveTarget(name, fm?.hosts, this.configText, this.env);
    this.hops.set(name, ssh);
    return target;
  };

  /** Host names of the ssh config, its Includes followed (for group patterns such as `web-*`). */
  aliases(): string[] {
    this.hostNames ??= sshHostNames(this.configText, this.env);
    return this.hostNames;
  }

  transport(target: ResolvedTarget): TransportFactory | undefined {
    const hop = target.kind === 'ssh' ? this.hopOf(target.name) : undefined;
    return hop ? sshTransport(this.pool.get(hop)) : undefined;
  }

  /** Tunnels for SQL connections and HTTP cells: a loopback port forwarded through `via`. */
  readonly connect: Connect = async (host: string, port: number, via: string): Promise<Forward> => {
    const forward = await this.pool.get(this.hopOf(via)).forwardLocal(host, port);
    return { host: forward.host, port: forward.port, close: () => forward.close() };
  };

  /** Runs programs (sqlite3) on a host over SSH; undefined for local. */
  commandRunner(host: string): CommandRunner | undefined {
    if (!host || host === 'local' || host === 'localhost') return undefined;
    return {
      run: async (argv, stdin, signal): Promise<CommandResult> => {
        const conn = this.pool.get(this.hopOf(host));
        const r = await conn.exec(argv.map(quoteShell).join(' '), { stdin, ...(signal ? { signal } : {}) });
        return { stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8'), exitCode: r.code, signal: r.signal };
      },
    };
  }

  dispose(): void {
    this.pool.close();
  }

  private hopOf(name: string): SshHop {
    let hop = this.hops.get(name);
    if (!hop) {
      hop = resolveTarget(name, this.lastHosts, this.configText, this.env).ssh;
      this.hops.set(name, hop);
    }
    return hop;
  }
}
