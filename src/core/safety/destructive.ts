// Recognises commands that destroy or interrupt something (DESIGN §3): such cells ask before running.
// Deliberately broad: a needless question costs a second, a surprise restart costs an incident.

export interface Danger {
  /** What was recognised, for the confirmation prompt ("rm -rf", "systemctl restart", "DROP TABLE"). */
  what: string;
  /** 1-based line in the cell. */
  line: number;
}

const SHELL_RULES: [RegExp, string][] = [
  [/\brm\s+(-[a-zA-Z]*[rRf][a-zA-Z]*\s+|--recursive\b|--force\b)/, 'rm -r/-f'],
  [/\bsystemctl\s+(?:--\S+\s+)*(stop|restart|kill|disable|mask|isolate|poweroff|reboot|halt)\b/, 'systemctl $1'],
  [/\bservice\s+\S+\s+(stop|restart)\b/, 'service $1'],
  [/(^|[;&|]\s*|\bsudo\s+)(kill|killall|pkill)\b/, '$2'],
  [/\btruncate\b/, 'truncate'],
  [/(^|[;&|]\s*|\bsudo\s+)(reboot|shutdown|halt|poweroff)\b/, '$2'],
  [/\bdocker(?:-compose|\s+compose)?\s+(?:\S+\s+)*?(system\s+prune|volume\s+prune|image\s+prune|container\s+prune|prune|rm|rmi|kill|stop|restart|down)\b/, 'docker $1'],
  [/\bkubectl\s+(delete|drain|cordon|scale|rollout\s+restart)\b/, 'kubectl $1'],
  [/(^|[;&|]\s*|\bsudo\s+)dd\s+.*\bof=/, 'dd'],
  [/\bmkfs(\.\w+)?\b/, 'mkfs'],
  [/\b(fdisk|parted|wipefs|shred)\b/, '$1'],
  [/\bchmod\s+-R\b|\bchown\s+-R\b/, 'recursive chmod/chown'],
  [/\bgit\s+(push\s+.*--force|reset\s+--hard|clean\s+(?:-[a-eg-z]+\s+)*(?:-[a-z]*f|--force))/, 'git $1'],
  [/\biptables\s+(-F|--flush)\b|\bufw\s+(deny|reset|disable)\b/, 'firewall change'],
  [/\b(DROP|TRUNCATE|ALTER)\s+(TABLE|DATABASE|SCHEMA|INDEX|VIEW)\b/i, '$1 $2'],
  [/\bDELETE\s+FROM\b(?![^;]*\bWHERE\b)/i, 'DELETE without WHERE'],
  [/\bUPDATE\s+\S+\s+SET\b(?![^;]*\bWHERE\b)/i, 'UPDATE without WHERE'],
  [/(^|[^<])>\s*\/dev\/(sd|nvme|vd)/, 'write to a block device'],
];

/** Dangers in a shell cell, one per line at most, comments ignored. */
export function findDangers(source: string): Danger[] {
  const dangers: Danger[] = [];
  source.split('\n').forEach((raw, i) => {
    const line = stripComment(raw);
    for (const [rule, label] of SHELL_RULES) {
      const m = rule.exec(line);
      if (m) {
        dangers.push({ what: label.replace(/\$(\d)/g, (_, n: string) => m[Number(n)] ?? ''), line: i + 1 });
        break;
      }
    }
  });
  return dangers;
}

/** Drops a trailing `# comment` (not inside quotes, not `$#` or `${#x}`). */
function stripComment(line: string): string {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"') i++;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i);
  }
  return line;
}
