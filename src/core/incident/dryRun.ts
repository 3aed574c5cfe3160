// Dry run (noop mode): what each cell would run, where, with the variables substituted and whether it
// would ask for confirmation, without running anything. Recorded in the execution log as `dry-run` rows.
import type { FrontMatter } from '../format/frontMatter.js';
import { runnerOf, type Runner } from '../format/languages.js';
import type { Attributes, RunbookDocument } from '../format/model.js';
import { digestOf, type NewLogRow } from '../log/chain.js';
import { confirmationNeeded } from '../run/confirmPolicy.js';
import { namedCodeCells } from '../run/documentRunner.js';
import { declaredVariables, resolveVariables } from '../run/variables.js';
import { cellConnection, type ChosenConnection } from '../runbook/connection.js';
import { variableReferences } from '../runbook/references.js';
import { isoSeconds } from './time.js';

export interface DryRunCellInfo {
  name: string;
  language: string;
  /** The fence's language token (`postgresql`). */
  fenceLanguage?: string;
  attributes: Attributes;
}

export interface DryRunOptions {
  /** Values known for the session (CLI --var, earlier answers); declared defaults fill the rest. */
  variables?: Record<string, string>;
  /** The target a cell would run on, as shown to the operator (default: from `host=`/`db=` and the front matter). */
  targetOf?: (cell: DryRunCellInfo, frontMatter: FrontMatter | undefined) => string;
  operator?: string;
  now?: Date;
}

export interface DryRunCell {
  name: string;
  language: string;
  runner: Runner;
  target: string;
  /** The command with variables substituted; secrets shown as `[SECRET:NAME]`. */
  command: string;
  /** Why it would ask before running (empty: it would not ask). */
  confirm: string[];
  /** Declared variables it uses that have no value yet (they would be asked for). */
  missing: string[];
}

export interface DryRunResult {
  cells: DryRunCell[];
  /** One `dry-run` row per cell, to append to the execution log. */
  rows: NewLogRow[];
}

export function dryRun(doc: RunbookDocument, cells: string[] | 'all', o: DryRunOptions = {}): DryRunResult {
  // Which variables are secret is only known from a front matter that validates: no dry run without it.
  const problems = doc.frontMatter?.errors.map((e) => e.message) ?? [];
  if (problems.length) throw new Error(`the front matter has errors; fix them first: ${problems.join('; ')}`);
  const fm = doc.frontMatter?.data;
  const all = namedCodeCells(doc);
  if (cells !== 'all') {
    const unknown = cells.filter((n) => !all.some((c) => c.name === n));
    if (unknown.length) throw new Error(`no cell named ${unknown.map((n) => `"${n}"`).join(', ')}`);
  }
  const declared = declaredVariables(fm);
  const { values } = resolveVariables(declared, o.variables ?? {});
  const secrets = new Set(declared.filter((d) => d.secret).map((d) => d.name));
  const known = new Set(declared.map((d) => d.name).concat(Object.keys(o.variables ?? {})));
  const vars: VariableView = { values, secrets, known };
  const targetOf = o.targetOf ?? defaultTarget;
  const result: DryRunResult = { cells: [], rows: [] };
  const time = isoSeconds(o.now ?? new Date());
  for (const { cell, name } of all) {
    if (cells !== 'all' && !cells.includes(name)) continue;
    const runner = runnerOf(cell.language);
    if (!runner) continue;
    const missing = new Set<string>();
    const command = substituteReferences(cell.source, cell.language, vars, missing);
    const choice = { fenceLanguage: cell.fence.lang };
    const need = confirmationNeeded(cell.source, cell.attributes, cell.language, fm, choice);
    const info: DryRunCell = {
      name, language: cell.language, runner, target: targetOf({ name, language: cell.language, fenceLanguage: cell.fence.lang, attributes: cell.attributes }, fm),
      command, confirm: need?.reasons ?? [], missing: [...missing],
    };
    result.cells.push(info);
    const detail = [`would run on ${info.target}`, info.confirm.length ? `asks first: ${info.confirm.join('; ')}` : 'no confirmation',
      info.missing.length ? `needs ${info.missing.join(', ')}` : ''].filter(Boolean).join('; ');
    result.rows.push({
      time, operator: o.operator ?? '', target: info.target, cell: name, event: 'dry-run', exit: null, ms: null,
      digest: digestOf(command, ''), detail,
    });
  }
  return result;
}

/** The dry run as text, for a terminal or a notebook output. */
export function formatDryRun(result: DryRunResult): string {
  return result.cells.map((c) => {
    const head = `▷ ${c.name} (${c.runner}) on ${c.target}${c.confirm.length ? ` — would ask: ${c.confirm.join('; ')}` : ''}`;
    const missing = c.missing.length ? `\n  (asks for ${c.missing.join(', ')})` : '';
    return `${head}${missing}\n${c.command.replace(/^/gm, '  │ ')}\n`;
  }).join('\n');
}

function defaultTarget(cell: DryRunCellInfo, fm: FrontMatter | undefined): string {
  const runner = runnerOf(cell.language);
  if (runner === 'sql' || runner === 'prometheus') {
    let chosen: ChosenConnection;
    try {
      chosen = cellConnection(cell, fm?.connections);
    } catch (e) {
      return `no connection: ${(e as Error).message}`;
    }
    const { name: db, config: c } = chosen;
    const where = c.driver === 'sqlite' ? c.path ?? '' : (c.url ?? '').replace(/^(\w+:\/\/)[^@/]*:[^@/]*@/, '$1');
    return `${db} (${c.driver} ${where}${c.host ? ` via ${c.host}` : ''})`;
  }
  if (runner === 'http') return 'this machine (HTTP request)';
  const host = typeof cell.attributes.host === 'string' && cell.attributes.host ? cell.attributes.host : 'local';
  const h = fm?.hosts?.[host];
  if (!h) return host;
  const jump = Array.isArray(h.jump) ? h.jump.join(' → ') : h.jump;
  return `${host} (${h.ssh}${h.port ? `:${h.port}` : ''}${jump ? ` via ${jump}` : ''})`;
}

interface VariableView {
  values: Record<string, string>;
  secrets: Set<string>;
  known: Set<string>;
}

function valueOf(name: string, v: VariableView, missing: Set<string>): string | undefined {
  if (!v.known.has(name)) return undefined; // a shell variable of the cell itself, or the environment's
  if (v.secrets.has(name)) {
    if (!(name in v.values)) missing.add(name);
    return `[SECRET:${name}]`;
  }
  if (name in v.values) return v.values[name];
  missing.add(name);
  return undefined;
}

/**
 * A cell's source with its variable references replaced by their values: the references core/runbook
 * finds (for shell cells the lexer's: not in single quotes, comments or quoted here-documents). Forms with a
 * fallback (`${X:-d}`) stay as written but still count as needing X.
 */
export function substituteReferences(source: string, language: string, v: VariableView, missing: Set<string>): string {
  const lines = source.split('\n');
  const refs = variableReferences(source, language);
  for (let i = refs.length - 1; i >= 0; i--) {
    const r = refs[i]!;
    const value = valueOf(r.name, v, missing);
    if (value === undefined || !r.plain) continue;
    const line = lines[r.line]!;
    lines[r.line] = line.slice(0, r.start) + value + line.slice(r.end);
  }
  return lines.join('\n');
}
