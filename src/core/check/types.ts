// Types of the runbook checks. Ranges and severities follow the Language Server Protocol (0-based lines,
// UTF-16 characters, end exclusive) so the language server passes them on unchanged.

import type { TargetEnv } from '../ssh/targets.js';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface Diagnostic {
  range: Range;
  severity: Severity;
  /** Stable identifier of the check, e.g. "unknown-host". */
  code: string;
  message: string;
  source: 'runbook';
  /** Extra facts for quick fixes (placeholder text, suggested variable name, ...). */
  data?: Record<string, unknown>;
}

/**
 * Where a finding is, before it is placed in a text: checks work on the parsed cells, so the same
 * finding can be shown in a markdown text editor (document lines) or in a notebook cell (cell lines).
 */
export type Where =
  /** A line of the whole document (the front matter). */
  | { in: 'doc'; line: number; start: number; end: number }
  /** Characters [start, end) of a code cell's fence info string (the text after the fence marker). */
  | { in: 'fence'; cell: number; start: number; end: number }
  /** The whole opening fence line of a code cell. */
  | { in: 'fenceLine'; cell: number }
  /** A line of a cell's source (0-based, "\n" line endings, fence indentation removed). */
  | { in: 'source'; cell: number; line: number; start: number; end: number };

export interface Finding {
  where: Where;
  severity: Severity;
  code: string;
  message: string;
  data?: Record<string, unknown>;
}

export interface CheckOptions {
  /** Text of an ssh config file (~/.ssh/config): its Host aliases are valid `host=` names too. */
  sshConfig?: string;
  /** Its file name, for messages. */
  sshConfigPath?: string;
  /** Home, user and Include reader for resolving hosts through the ssh config (default: no Include, no home). */
  sshEnv?: TargetEnv;
  /** The runbook's directory: a relative `inventory:` is read from there (its groups are valid `host=`). */
  baseDir?: string;
}
