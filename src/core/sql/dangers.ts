// Destructive SQL, statement by statement: a DELETE whose WHERE is on the next line is not flagged, and
// `SELECT 'DROP TABLE x'` or a commented-out DROP is not flagged either (literals and comments are blanked).
import { findDangers, type Danger } from '../safety/destructive.js';
import { lineCol, splitStatements, type SqlDialect } from './split.js';

/** SQL-only rules on top of the shared ones (those need `DROP TABLE`-style pairs). */
const SQL_RULES: [RegExp, string][] = [
  [/\bDROP\s+(?:MATERIALIZED\s+VIEW|FOREIGN\s+TABLE|\w+)/i, 'DROP'],
  [/\bTRUNCATE\b/i, 'TRUNCATE'],
  [/\bALTER\s+(SYSTEM|USER|ROLE|SEQUENCE|FUNCTION|TABLESPACE)\b/i, 'ALTER $1'],
  [/\bpg_(terminate|cancel)_backend\s*\(/i, 'pg_$1_backend'],
  [/^\s*KILL\b/i, 'KILL'],
  [/^\s*SHUTDOWN\b/i, 'SHUTDOWN'],
  [/\bVACUUM\s+(?:\(\s*)?FULL\b/i, 'VACUUM FULL'],
  [/^\s*(REINDEX|CLUSTER)\b/i, '$1'],
  [/^\s*(GRANT|REVOKE)\b/i, '$1'],
  [/\bPRAGMA\s+(writable_schema|journal_mode\s*=\s*off)/i, 'PRAGMA $1'],
];

/** Destructive statements of a SQL cell; `line` is the 1-based cell line where the statement starts. */
export function sqlDangers(source: string, dialect: SqlDialect = 'postgres'): Danger[] {
  const dangers: Danger[] = [];
  for (const st of splitStatements(source, dialect)) {
    if (st.dot) continue;
    const lead = st.code.length - st.code.trimStart().length;
    const { line } = lineCol(source, st.start + lead);
    const flat = st.code.replace(/\s+/g, ' ').trim();
    const seen = new Set<string>();
    for (const d of findDangers(flat)) {
      seen.add(d.what.toUpperCase());
      dangers.push({ what: d.what, line });
    }
    for (const [rule, label] of SQL_RULES) {
      const m = rule.exec(flat);
      if (!m) continue;
      // Keywords in upper case ("GRANT", "ALTER ROLE"); function names as written ("pg_cancel_backend").
      const upper = !/^[a-z]/.test(label);
      const what = label.replace(/\$(\d)/g, (_, k: string) => {
        const part = m[Number(k)] ?? '';
        return upper ? part.toUpperCase() : part.toLowerCase();
      });
      if ([...seen].some((s) => s.startsWith(what.split(' ')[0]!))) continue;
      seen.add(what.toUpperCase());
      dangers.push({ what, line });
    }
  }
  return dangers;
}
