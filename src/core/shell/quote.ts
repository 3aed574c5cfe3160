// Shell quoting for values we write into a bash session's input. Single quotes are the only form in
// which bash interprets nothing, so every value is wrapped in them ('\'' closes, escapes, reopens).

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function quoteShell(value: string): string {
  if (value.includes('\0')) throw new Error('a shell value cannot contain a NUL byte');
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function isShellName(name: string): boolean {
  return NAME.test(name);
}

/** `export NAME='value'` lines for each entry; refuses names bash would not accept. */
export function exportLines(vars: Readonly<Record<string, string>>): string {
  let out = '';
  for (const [name, value] of Object.entries(vars)) {
    if (!isShellName(name)) throw new Error(`not a valid shell variable name: ${JSON.stringify(name)}`);
    out += `builtin export ${name}=${quoteShell(value)}\n`;
  }
  return out;
}
