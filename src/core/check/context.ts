// What every check gets: the parsed document, the front matter with positions and the names it defines.
import type { AttributeValue, CodeCell, RunbookDocument } from '../format/index.js';
import { attributeSpan, wholeInfo } from './fenceAttributes.js';
import { readFrontMatterModel, type FrontMatterModel } from './frontMatterModel.js';
import { fleetGroupNames } from './fleetGroups.js';
import { sshHostNames } from '../runbook/targets.js';
import type { CheckOptions, Where } from './types.js';

export interface CheckContext {
  doc: RunbookDocument;
  fm: FrontMatterModel;
  options: CheckOptions;
  hostNames: Set<string>;
  /** Host aliases from the ssh config passed in the options. */
  sshAliases: Set<string>;
  /** Host groups (front matter `groups:` and the inventory's), valid `host=` names for fan-out. */
  groupNames: Set<string>;
  connectionNames: Set<string>;
  variableNames: Set<string>;
}

export function checkContext(doc: RunbookDocument, options: CheckOptions = {}): CheckContext {
  const fm = readFrontMatterModel(doc.frontMatter?.raw);
  // The same names the runner's host groups and the target picker see (core/runbook/targets.ts).
  const sshAliases = new Set(sshHostNames(options.sshConfig, options.sshEnv));
  return {
    doc,
    fm,
    options,
    hostNames: new Set(fm.hosts.map((h) => h.name)),
    sshAliases,
    groupNames: fleetGroupNames(fm.data, options.baseDir, [...sshAliases]),
    connectionNames: new Set(fm.connections.map((c) => c.name)),
    variableNames: new Set(fm.variables.map((v) => v.name)),
  };
}

/** Code cells with their index in the document. */
export function codeCells(doc: RunbookDocument): { cell: CodeCell; index: number }[] {
  const out: { cell: CodeCell; index: number }[] = [];
  doc.cells.forEach((cell, index) => {
    if (cell.kind === 'code') out.push({ cell, index });
  });
  return out;
}

/** An attribute's value as text ("" when absent). */
export function attr(cell: CodeCell, key: string): string {
  const v: AttributeValue | undefined = cell.attributes[key];
  return v === undefined || v === null ? '' : String(v);
}

/** Where an attribute's value is in the fence (the whole info string when it cannot be found). */
export function attrValueWhere(cell: CodeCell, index: number, key: string): Where {
  const span = attributeSpan(cell.fence.info, key);
  const at = span ? { start: span.valueStart, end: Math.max(span.valueEnd, span.valueStart + 1) } : wholeInfo(cell.fence.info);
  return { in: 'fence', cell: index, ...at };
}
