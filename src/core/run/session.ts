// One run session: everything that runs cells of one runbook, built in one place for the VS Code kernel,
// `runbook run` and `runbook drill run`: the redactor (one for the session, switched when secrets are
// answered), the SSH pool (none in a drill: every host is the drill's local stand-in), the shell, SQL, HTTP
// and PromQL executors, and the CellRunner. `dispose` closes them in the right order.
import type { FrontMatter } from '../format/frontMatter.js';
import type { Executor, ResolvedTarget } from '../contract/types.js';
import { localTransport } from '../shell/localTransport.js';
import { CellRunner, type CellRunnerOptions } from './cellRunner.js';
import { httpExecutor, prometheusExecutor, sqlExecutor } from './frontMatterExecutors.js';
import { ShellExecutor } from './shellExecutor.js';
import { SshRemote, type SshRemoteOptions } from './sshRemote.js';
import { switchableRedactor, type SwitchableRedactor } from './switchableRedactor.js';
import { isDrillRecord } from '../runbook/record.js';
import { targetResolver } from './targets.js';

export interface RunSessionOptions extends Omit<CellRunnerOptions, 'executors' | 'redactor' | 'resolveTarget' | 'fleet'> {
  /** SSH hosts reachable through this pool; undefined: no SSH (a drill, where every host is local). */
  ssh?: SshRemoteOptions;
  /**
   * How names resolve in a live drill (its resolver: every host is the local stand-in). Default: `local`, and
   * SSH hosts through `ssh`; a drill record is refused then (its stand-ins are not on PATH: a cell would meet
   * this machine's real tools).
   */
  resolveTarget?: (name: string, fm: FrontMatter | undefined) => ResolvedTarget;
  /** The local shell's environment and working directory (default: this process's). */
  local?: { env?: NodeJS.ProcessEnv; cwd?: string };
  maxOutputBytes?: number;
  /** Where HTTP body files (`< ./x.json`) are read: next to the runbook, never above `root`. */
  bodyFiles?: { baseDir: string; root: string };
  /** The record's path, for files written beside it (PromQL charts). */
  recordPath?: () => string | undefined;
  /** The runbook's folder: its `inventory:` is read from there (host groups). */
  baseDir?: string;
}

export interface RunSession {
  readonly runner: CellRunner;
  readonly shell: ShellExecutor;
  readonly redactor: SwitchableRedactor;
  /** Restarts the shell sessions (their variables and working directories are lost). */
  restart(): void;
  /** Hangs up the shells (over the still open SSH connections), then closes the executors and the pool. */
  dispose(): Promise<void>;
}

export function createRunSession(o: RunSessionOptions): RunSession {
  const redactor = switchableRedactor();
  const remote = o.ssh ? new SshRemote(o.ssh) : undefined;
  const local = o.local ? localTransport({ ...(o.local.env ? { env: o.local.env } : {}), ...(o.local.cwd ? { cwd: o.local.cwd } : {}) }) : undefined;
  const shell = new ShellExecutor({
    redact: redactor.redact,
    ...(o.maxOutputBytes !== undefined ? { maxOutputBytes: o.maxOutputBytes } : {}),
    transportFor: (target) => (target.kind === 'local' ? local : remote?.transport(target)),
  });
  const connect = remote ? { connect: remote.connect } : {};
  const sql = sqlExecutor(remote ? { ...connect, commandRunner: (host) => remote.commandRunner(host) } : {});
  const http = httpExecutor({ ...connect, ...(o.bodyFiles ? { bodyFiles: o.bodyFiles } : {}) });
  const prometheus = prometheusExecutor({ ...connect, ...(o.recordPath ? { recordPath: o.recordPath } : {}) });
  const others: Executor[] = [sql, http, prometheus];
  const runner = new CellRunner({
    defaultTarget: o.defaultTarget,
    operator: o.operator,
    ui: o.ui,
    ...(o.defaultTimeoutMs ? { defaultTimeoutMs: o.defaultTimeoutMs } : {}),
    ...(o.defaultConnection ? { defaultConnection: o.defaultConnection } : {}),
    ...(o.variables ? { variables: o.variables } : {}),
    executors: { shell, sql, http, prometheus },
    resolveTarget: o.resolveTarget ?? refusingDrillRecords(targetResolver(remote?.resolve)),
    redactor,
    fleet: { ...(o.baseDir ? { baseDir: o.baseDir } : {}), sshAliases: () => remote?.aliases() ?? [] },
  });
  let closed: Promise<void> | undefined;
  return {
    runner,
    shell,
    redactor,
    restart: () => shell.restart(),
    dispose: () => {
      closed ??= (async () => {
        others.forEach((e) => e.dispose());
        // The remote hang-up (session end: plain jobs end, nohup/setsid stay) needs the connection: close after it.
        try {
          await shell.close();
        } finally {
          remote?.dispose();
        }
      })();
      return closed;
    },
  };
}

type Resolve = (name: string, fm: FrontMatter | undefined) => ResolvedTarget;

function refusingDrillRecords(resolve: Resolve): Resolve {
  return (name, fm) => {
    if (isDrillRecord(fm)) {
      throw new Error('this is a drill record and its drill is not running: start a new drill from the runbook ' +
        '("Runbook: Start Tabletop Drill", or `runbook drill run`)');
    }
    return resolve(name, fm);
  };
}
