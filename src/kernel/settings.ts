// The extension's settings (contributes.configuration in package.json), read when needed so changes apply
// without a reload.
import * as vscode from 'vscode';
import { operatorName } from '../core/runbook/operator.js';
import { parseDuration } from '../core/util/duration.js';

const section = () => vscode.workspace.getConfiguration('runbook');

export const settings = {
  stopOnError: (): boolean => section().get<boolean>('run.stopOnError', true),
  defaultTimeoutMs: (): number | undefined => {
    const ms = parseDuration(section().get<string>('run.defaultTimeout', '30m'));
    return ms ? ms : undefined;
  },
  maxOutputBytes: (): number => Math.max(1024, section().get<number>('output.maxBytes', 256 * 1024)),
  /** Who runs the runbook: the `runbook.operator` setting, else $RUNBOOK_OPERATOR, else the local user. */
  operator: (): string => operatorName(section().get<string>('operator')),
};
