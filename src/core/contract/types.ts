// What every executor (shell local/SSH, SQL, HTTP) takes and gives back. The VS Code controller and the
// headless CLI runner both drive executors through these shapes only.
import type { FrontMatter } from '../format/frontMatter.js';
import type { Attributes, CellOutput } from '../format/model.js';
import type { AnswerPrompt } from './prompt.js';

/** Where a cell runs, as recorded in outputs and in the execution log. */
export interface ResolvedTarget {
  /** 'local' or the host name used in the runbook (front matter `hosts:` key or ~/.ssh/config alias). */
  name: string;
  kind: 'local' | 'ssh';
  /** The real target: `user@host:port` for SSH, `user@hostname` for local. */
  label: string;
  user: string;
  host: string;
  port?: number;
  /** A host group (`host=GROUP`): its members' names; the label reads "group web (12 hosts)". */
  members?: string[];
}

export interface ExecutionRequest {
  /** The cell's source, variables not substituted (bash expands ${VAR} itself; http/sql substitute). */
  source: string;
  /** VS Code language id: shellscript, sql, http. */
  language: string;
  /** The fence's language as written (`postgresql`, `mysql`): it narrows which connection a SQL cell uses. */
  fenceLanguage?: string;
  /** The session's connection for SQL/PromQL cells without `db=` (`runbook run --db NAME`). */
  defaultConnection?: string;
  attributes: Attributes;
  /** The cell's name (attribute `name`, or a generated `cell-N`). */
  cellName: string;
  target: ResolvedTarget;
  /** The runbook's front matter as it is now (connections, variables), when it parses. */
  frontMatter?: FrontMatter;
  /** Variable values for this notebook session (secrets included: never write them anywhere). */
  variables: Record<string, string>;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Live output for the UI (already redacted). */
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
  /** Asks the person when a shell cell waits for input; without it the cell gets end-of-input. */
  onPrompt?: AnswerPrompt;
}

export interface ExecutionResult {
  /** 0 for success; null when unknown (cancelled, connection lost, session died). */
  exitCode: number | null;
  /** What goes into the notebook and the document (redacted, capped), without the common metadata
   *  (cell, host, user, started, ms, exit): the runner adds that. */
  outputs: CellOutput[];
  startedAt: string;
  durationMs: number;
  cancelled: boolean;
  timedOut: boolean;
  /** A clear explanation for anything but a normal end. */
  message?: string;
  /** Text that identifies what ran, for the log digest (command, SQL, request line). */
  command: string;
}

export interface Executor {
  run(request: ExecutionRequest): Promise<ExecutionResult>;
  dispose(): void;
}
