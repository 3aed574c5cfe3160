// Completion: attribute keys inside a fence's `{...}`, host names after `host=` (and `host:`/`jump:` in
// the front matter), connection names after `db=`, variables after `${`, `$` and `{{`.
import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver/node';
import { braceOf, type CheckContext } from '../core/check/index.js';
import { httpDefinitions } from '../core/check/httpVariablesCheck.js';
import { describeConnection, describeHost, describeVariable } from './describe.js';
import type { Spot } from './views.js';

export const ATTRIBUTE_KEYS: [string, string][] = [
  ['name', 'Name of the cell, used in outputs and the execution log'],
  ['host', 'Host to run on: a host of the front matter, an ssh config Host, or local'],
  ['db', 'Connection of the front matter that a SQL cell runs against'],
  ['timeout', 'Stop the cell after this long (30s, 5m, 1h)'],
  ['confirm', 'Ask before running (true/false)'],
  ['readonly', 'The cell only reads: never asks for confirmation (true/false)'],
  ['forks', 'With host=GROUP: how many hosts run at once (default 10)'],
  ['serial', 'With host=GROUP: hosts per rolling batch, a number or a percentage (25%)'],
  ['max_fail', 'With host=GROUP: no further batch once more hosts than this failed (number or %)'],
];

const VALUES: Record<string, string[]> = {
  confirm: ['true', 'false'],
  readonly: ['true', 'false'],
  timeout: ['30s', '1m', '5m', '15m', '1h'],
};

export interface CompletionResult {
  items: CompletionItem[];
  /** Characters of the typed prefix before the cursor (replaced by the item). */
  prefixLength: number;
}

export function complete(ctx: CheckContext, spot: Spot): CompletionResult | undefined {
  if (spot.in === 'fence') return completeFence(ctx, spot.info, spot.offset);
  const before = spot.lineText.slice(0, spot.character);
  if (spot.in === 'frontMatter') {
    const m = /(?:^|[{,\s])(?:host|jump)\s*:\s*([\w.-]*)$/.exec(before);
    return m ? { items: hostItems(ctx), prefixLength: m[1]!.length } : undefined;
  }
  const cell = ctx.doc.cells[spot.cell];
  if (!cell || cell.kind !== 'code') return undefined;
  const http = /\{\{\s*([\w.-]*)$/.exec(before);
  if (http) {
    const names = [...httpDefinitions(ctx)];
    return { items: names.map((n) => variableItem(ctx, n)), prefixLength: http[1]!.length };
  }
  const shell = /\$\{([A-Za-z_]\w*)?$/.exec(before) ?? /\$([A-Z_][A-Z0-9_]*)$/.exec(before);
  if (shell) return { items: [...ctx.variableNames].map((n) => variableItem(ctx, n)), prefixLength: (shell[1] ?? '').length };
  return undefined;
}

function completeFence(ctx: CheckContext, info: string, offset: number): CompletionResult | undefined {
  const open = info.indexOf('{');
  if (open === -1 || offset <= open) return undefined;
  const brace = braceOf(info);
  if (brace && offset >= brace.close) return undefined;
  if (brace?.json) return undefined;
  const before = info.slice(open + 1, offset);
  const value = /([A-Za-z_][\w.-]*)=([^\s}"']*)$/.exec(before);
  if (value) {
    const key = value[1]!;
    const items = key === 'host' ? hostItems(ctx)
      : key === 'db' ? [...ctx.connectionNames].map((n) => item(n, CompletionItemKind.Value, describeConnection(ctx, n)))
        : (VALUES[key] ?? []).map((v) => item(v, CompletionItemKind.Value));
    return { items, prefixLength: value[2]!.length };
  }
  const word = /(?:^|\s)([A-Za-z_][\w.-]*)?$/.exec(before);
  if (!word) return undefined;
  const present = new Set([...before.matchAll(/([A-Za-z_][\w.-]*)=/g)].map((m) => m[1]!));
  const items = ATTRIBUTE_KEYS.filter(([k]) => !present.has(k)).map(([k, doc]) => ({
    ...item(k, CompletionItemKind.Property, doc), insertText: `${k}=`,
    command: { title: 'Suggest', command: 'editor.action.triggerSuggest' },
  }));
  return { items, prefixLength: (word[1] ?? '').length };
}

function hostItems(ctx: CheckContext): CompletionItem[] {
  const names = [...ctx.hostNames, ...[...ctx.sshAliases].filter((a) => !ctx.hostNames.has(a)), 'local'];
  const groups = [...ctx.groupNames].filter((g) => !names.includes(g));
  return [...names.map((n) => item(n, CompletionItemKind.Value, describeHost(ctx, n))),
    ...groups.map((g) => item(g, CompletionItemKind.Module, `Host group \`${g}\`: the cell runs on each of its hosts`))];
}

function variableItem(ctx: CheckContext, name: string): CompletionItem {
  return item(name, CompletionItemKind.Variable, describeVariable(ctx, name));
}

function item(label: string, kind: CompletionItemKind, documentation?: string): CompletionItem {
  const it: CompletionItem = { label, kind };
  if (documentation) it.documentation = { kind: 'markdown', value: documentation };
  return it;
}
