// Fence language tokens ↔ VS Code language ids. Unknown languages are kept as written.

const toLanguageId: Record<string, string> = {
  bash: 'shellscript', sh: 'shellscript', shell: 'shellscript', zsh: 'shellscript', shellscript: 'shellscript',
  sql: 'sql', postgresql: 'sql', postgres: 'sql', mysql: 'sql', sqlite: 'sql',
  http: 'http', rest: 'http',
  promql: 'promql',
  '': 'plaintext',
};

const toFenceLang: Record<string, string> = { shellscript: 'bash', sql: 'sql', http: 'http', plaintext: '' };

export function languageIdOf(fenceLang: string): string {
  return toLanguageId[fenceLang.toLowerCase()] ?? fenceLang;
}

export function fenceLangOf(languageId: string): string {
  return toFenceLang[languageId] ?? languageId;
}

export type Runner = 'shell' | 'sql' | 'http' | 'prometheus';

/** Which executor runs a cell of this language id, if any. */
export function runnerOf(languageId: string): Runner | undefined {
  if (languageId === 'shellscript') return 'shell';
  if (languageId === 'sql') return 'sql';
  if (languageId === 'http') return 'http';
  if (languageId === 'promql') return 'prometheus';
  return undefined;
}
