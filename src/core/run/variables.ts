// Front-matter variables: which are needed, which must be asked for, which are secret.
import type { FrontMatter } from '../format/frontMatter.js';

export interface DeclaredVariable {
  name: string;
  default?: string;
  prompt: string;
  secret: boolean;
  description?: string;
}

export function declaredVariables(fm: FrontMatter | undefined): DeclaredVariable[] {
  return Object.entries(fm?.variables ?? {}).map(([name, v]) => {
    const d: DeclaredVariable = { name, prompt: v.prompt ?? v.description ?? name, secret: v.secret === true };
    if (v.default !== undefined) d.default = String(v.default);
    if (v.description !== undefined) d.description = v.description;
    return d;
  });
}

/**
 * Values known without asking: given values (CLI --var, earlier answers) win over defaults. Returns the
 * values and the declared variables still missing.
 */
export function resolveVariables(declared: DeclaredVariable[], given: Record<string, string>):
  { values: Record<string, string>; missing: DeclaredVariable[] } {
  const values: Record<string, string> = {};
  const missing: DeclaredVariable[] = [];
  for (const v of declared) {
    const value = given[v.name] ?? (v.secret ? undefined : v.default);
    if (value === undefined) missing.push(v);
    else values[v.name] = value;
  }
  for (const [k, v] of Object.entries(given)) if (!(k in values)) values[k] = v;
  return { values, missing };
}
