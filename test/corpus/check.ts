// Runs the edit checks of checkRunbook.ts over runbooks: node --import tsx test/corpus/check.ts DIR|FILE...
// Prints each problem and exits 1 when there is any (each file is also checked with CRLF line endings).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkRunbook } from './checkRunbook.js';

function files(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).sort().flatMap((f) => {
    const p = join(path, f);
    return statSync(p).isDirectory() ? files(p) : f.endsWith('.md') && f !== 'README.md' ? [p] : [];
  });
}

const args = process.argv.slice(2);
if (!args.length) {
  console.error('usage: node --import tsx test/corpus/check.ts DIR|FILE...');
  process.exit(2);
}
let problems = 0;
let checked = 0;
for (const file of args.flatMap(files)) {
  const text = readFileSync(file, 'utf8');
  const found = [...checkRunbook(text, file), ...(text.includes('\r') ? [] : checkRunbook(text.replace(/\n/g, '\r\n'), `${file} (CRLF)`))];
  checked++;
  problems += found.length;
  for (const p of found) console.log(p);
}
console.log(`${checked} runbooks checked, ${problems} problems`);
process.exit(problems ? 1 : 0);
