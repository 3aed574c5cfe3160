// `{{name}}` in HTTP cells (REST Client syntax) must be a front-matter variable, a file variable
// (`@name = value` in any HTTP cell), a prompt variable (`# @prompt name`) or a named request
// (`# @name login` then `{{login.response.body.token}}`). System variables (`{{$guid}}`) are fine.
import { codeCells, type CheckContext } from './context.js';
import type { Finding } from './types.js';

const FILE_VARIABLE = /^\s*@([A-Za-z_][\w.-]*)\s*=/;
const REQUEST_NAME = /^\s*(?:#|\/\/)\s*@(?:name|prompt)\s+([^\s]+)/;
const COMMENT = /^\s*(?:#|\/\/)/;
const USE = /\{\{\s*([^{}]*?)\s*\}\}/g;

export function httpDefinitions(ctx: CheckContext): Set<string> {
  const names = new Set(ctx.variableNames);
  for (const { cell } of codeCells(ctx.doc)) {
    if (cell.language !== 'http') continue;
    for (const line of cell.source.split('\n')) {
      const m = FILE_VARIABLE.exec(line) ?? REQUEST_NAME.exec(line);
      if (m) names.add(m[1]!);
    }
  }
  return names;
}

export function checkHttpVariables(ctx: CheckContext): Finding[] {
  const out: Finding[] = [];
  let defined: Set<string> | undefined;
  for (const { cell, index } of codeCells(ctx.doc)) {
    if (cell.language !== 'http') continue;
    defined ??= httpDefinitions(ctx);
    cell.source.split('\n').forEach((line, lineNo) => {
      if (COMMENT.test(line)) return;
      for (const m of line.matchAll(USE)) {
        const inner = m[1]!;
        if (inner.startsWith('$') || inner === '') continue;
        const name = inner.split('.')[0]!;
        if (defined!.has(name)) continue;
        out.push({
          where: { in: 'source', cell: index, line: lineNo, start: m.index!, end: m.index! + m[0].length },
          severity: 'warning', code: 'undefined-variable',
          message: `{{${name}}} is not defined: add it to the front matter variables or as a file variable (@${name} = ...)`,
          data: { name },
        });
      }
    });
  }
  return out;
}
