// Unfilled placeholders left from a template: YOUR_SLACK_WEBHOOK_URL, your-domain.com, +1-XXX-XXX-XXXX,
// SUSPICIOUS_IP, CHANGEME, <pod-name>, and example.com addresses in runnable cells. The front matter is
// not searched (its hosts may use example.com on purpose). Each finding suggests a variable name.
import { runnerOf } from '../format/index.js';
import type { CheckContext } from './context.js';
import type { Finding } from './types.js';

interface Rule {
  re: RegExp;
  /** The variable suggested for a match (`before`: the text of the line before the match). */
  name: (m: RegExpExecArray, before: string) => string;
  /** Only in cells that run (shell, SQL, HTTP). */
  runnableOnly?: boolean;
  /** Not in HTTP cells (XML bodies have tags). */
  notHttp?: boolean;
}

const snake = (s: string) => s.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').toUpperCase();

function labelBefore(before: string, suffix: string, fallback: string): string {
  const m = /([A-Za-z][A-Za-z -]*?)\s*[:=]\s*["']?\s*$/.exec(before);
  const label = m ? snake(m[1]!) : '';
  if (!label) return fallback;
  return label.endsWith(suffix) ? label : `${label}_${suffix}`;
}

const RULES: Rule[] = [
  { re: /\bYOUR_([A-Z0-9_]*[A-Z0-9])\b/g, name: (m) => m[1]! },
  { re: /\byour-([a-z0-9-]*[a-z0-9])\.(?:com|net|org|io)\b/gi, name: (m) => snake(m[1]!) },
  { re: /(?:\+\d{1,3}[- .]?)?\(?\bX{3}\)?[- .]X{3}[- .]X{4}\b/g, name: (_m, before) => labelBefore(before, 'PHONE', 'PHONE') },
  { re: /\bSUSPICIOUS_IP\b/g, name: () => 'SUSPICIOUS_IP' },
  { re: /\bCHANGE[-_]?ME\b/gi, name: (_m, before) => labelBefore(before, '', 'VALUE').replace(/_$/, '') },
  { re: /\b[xX]{1,3}\.[xX]{1,3}\.[xX]{1,3}\.[xX]{1,3}\b/g, name: () => 'IP_ADDRESS' },
  { re: /<([a-z][a-z0-9]*(?:[-_][a-z0-9]+)+)>/g, name: (m) => snake(m[1]!), notHttp: true },
  {
    re: /\b(?:([a-z0-9-]+)\.)*example\.(?:com|org|net)\b/gi, runnableOnly: true,
    name: (m) => (m[1] ? `${snake(m[1])}_HOST` : 'DOMAIN'),
  },
];

/** A match written as a variable already: `$X`, `${X`, `{{X`, `@X`. */
function isReference(line: string, at: number): boolean {
  return /(?:\$\{?|\{\{\s*|@)$/.test(line.slice(Math.max(0, at - 3), at));
}

export function checkPlaceholders(ctx: CheckContext): Finding[] {
  const out: Finding[] = [];
  ctx.doc.cells.forEach((cell, index) => {
    const language = cell.kind === 'code' ? cell.language : 'markdown';
    const runner = cell.kind === 'code' ? runnerOf(cell.language) : undefined;
    cell.source.split('\n').forEach((line, lineNo) => {
      const taken: [number, number][] = [];
      for (const rule of RULES) {
        if ((rule.runnableOnly && !runner) || (rule.notHttp && runner === 'http')) continue;
        rule.re.lastIndex = 0;
        for (let m = rule.re.exec(line); m; m = rule.re.exec(line)) {
          const start = m.index;
          const end = start + m[0].length;
          if (isReference(line, start) || taken.some(([a, b]) => start < b && end > a)) continue;
          const name = rule.name(m, line.slice(0, start));
          // In prose, a front-matter variable's name is documentation, not a placeholder.
          if (cell.kind === 'markdown' && ctx.variableNames.has(m[0])) continue;
          taken.push([start, end]);
          const ref = runner === 'http' ? `{{${name}}}` : `\${${name}}`;
          out.push({
            where: { in: 'source', cell: index, line: lineNo, start, end },
            severity: 'warning', code: 'placeholder',
            message: `Unfilled placeholder "${m[0]}": make it a variable (${ref})`,
            data: { text: m[0], name, language },
          });
        }
      }
    });
  });
  return out;
}
