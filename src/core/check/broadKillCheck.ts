// Kills that hit more than intended: `pkill -f PATTERN` matches any command line containing the pattern
// (the runbook's own shell included), `killall` every process of that name, `kill -9 -1` everything.
import { codeCells, type CheckContext } from './context.js';
import type { Finding } from './types.js';

const RULES: [RegExp, string][] = [
  [/\bpkill\s+(?:-\S+\s+)*?-[a-zA-Z]*f[a-zA-Z]*\b/g, 'pkill -f matches every process whose command line contains the pattern, this runbook\'s shell included: kill by PID (pgrep -x, systemctl) instead'],
  [/\bkillall\b/g, 'killall kills every process with that name on the host: kill by PID or stop the service instead'],
  [/\bkill\s+(?:-\S+\s+)*-1\b/g, 'kill -1 signals every process you may signal'],
];

export function checkBroadKills(ctx: CheckContext): Finding[] {
  const out: Finding[] = [];
  for (const { cell, index } of codeCells(ctx.doc)) {
    if (cell.language !== 'shellscript') continue;
    cell.source.split('\n').forEach((line, lineNo) => {
      const code = line.replace(/(^|\s)#.*$/, '$1');
      for (const [re, message] of RULES) {
        re.lastIndex = 0;
        for (let m = re.exec(code); m; m = re.exec(code)) {
          out.push({
            where: { in: 'source', cell: index, line: lineNo, start: m.index, end: m.index + m[0].length },
            severity: 'warning', code: 'broad-kill', message,
          });
        }
      }
    });
  }
  return out;
}
