// Front matter: YAML syntax and schema problems at their exact place.
import type { CheckContext } from './context.js';
import type { Finding } from './types.js';

export function checkFrontMatter(ctx: CheckContext): Finding[] {
  return ctx.fm.problems.map((p) => ({
    where: { in: 'doc', line: p.line, start: p.start, end: p.end },
    severity: p.severity,
    code: p.message.startsWith('YAML:') ? 'front-matter-yaml' : 'front-matter-schema',
    message: `Front matter: ${p.message}`,
  }));
}
