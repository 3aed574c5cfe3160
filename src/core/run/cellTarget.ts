// Where a cell will run, known before it runs: its `host=`, else (SQL) its connection's host, else the
// notebook's default target. The cell shows it, and the runner resolves it.
import type { FrontMatter } from '../format/frontMatter.js';
import type { Attributes } from '../format/model.js';
import { runnerOf } from '../format/languages.js';
import { cellConnectionOrNone } from '../runbook/connection.js';
import { isDrillRecord } from '../runbook/record.js';
import { LOCAL } from './localTarget.js';

export interface TargetChoice {
  /** The fence's language token (`postgresql`): it narrows which connection a SQL cell uses. */
  fenceLanguage?: string;
  /** The session's connection for SQL/PromQL cells without `db=` (`runbook run --db`). */
  defaultConnection?: string;
}

/**
 * The target name a cell runs on: its `host=`; else a SQL/PromQL cell runs where its connection is
 * (sqlite: the host with the file; servers: the tunnel host); else the notebook's default target.
 */
export function cellTargetName(attributes: Attributes, language: string, fm: FrontMatter | undefined, defaultTarget: string,
  o: TargetChoice = {}): string {
  const host = attributes.host;
  if (host !== undefined && host !== null && String(host) !== '') return String(host);
  const runner = runnerOf(language);
  if (runner !== 'sql' && runner !== 'prometheus') return defaultTarget;
  const cell = { attributes, language, ...(o.fenceLanguage !== undefined ? { fenceLanguage: o.fenceLanguage } : {}) };
  return cellConnectionOrNone(cell, fm, o.defaultConnection)?.config.host ?? defaultTarget;
}

/** The target in words before it is resolved: "this machine", "deploy@cvd-prod via bastion", "drill stand-in for cvd-prod". */
export function plannedTargetWords(name: string, fm: FrontMatter | undefined): string {
  if (name === LOCAL || name === '') return 'this machine';
  const host = fm?.hosts?.[name] as (NonNullable<FrontMatter['hosts']>[string] & { drill?: unknown }) | undefined;
  if (host?.drill === true || isDrillRecord(fm)) return `this machine (drill stand-in for ${name})`;
  if (!host) return name;
  const user = /^([^@]+)@/.exec(host.ssh)?.[1];
  const jump = host.jump === undefined ? [] : [host.jump].flat();
  return `${user ? `${user}@` : ''}${name}${jump.length ? ` via ${jump.join(', ')}` : ''}${host.production ? ' (production)' : ''}`;
}
