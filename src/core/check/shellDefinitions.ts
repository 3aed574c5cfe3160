// Names a shell cell defines: assignments, export/local/declare/readonly, read/mapfile, for/select
// loops, printf -v, getopts, ${NAME:=x}. A cell that sources a file or uses eval / `set -a` may define
// anything: it is "opaque" and later references are not reported.
import type { ShellScan } from '../runbook/shellLexer.js';

export interface ShellDefinitions {
  names: Set<string>;
  opaque: boolean;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ASSIGN = /(?:^|[\s;&|(`{])([A-Za-z_][A-Za-z0-9_]*)(?:\[[^\]\s]*\])?\+?=/gm;
const DECLARE = /(?:^|[\s;&|(`])(?:export|local|declare|typeset|readonly|unset)\b([^;&|\n]*)/gm;
const READ = /(?:^|[\s;&|(`])(?:read|mapfile|readarray)\b([^;&|\n]*)/gm;
const LOOP = /(?:^|[\s;&|(`])(?:for|select)\s+([A-Za-z_][A-Za-z0-9_]*)\b/gm;
const PRINTF_V = /\bprintf\s+-v\s+([A-Za-z_][A-Za-z0-9_]*)/g;
const GETOPTS = /\bgetopts\s+\S+\s+([A-Za-z_][A-Za-z0-9_]*)/g;
const OPAQUE = /(?:^|[;&|(`]|\b(?:then|do|else)\b)[ \t]*(?:source|\.)[ \t]+[^\s;&|]|\beval\b|\bset[ \t]+-[a-z]*a\b/m;

export function shellDefinitions(scan: ShellScan): ShellDefinitions {
  const code = scan.code;
  const names = new Set<string>();
  let opaque = OPAQUE.test(code);
  for (const m of code.matchAll(ASSIGN)) names.add(m[1]!);
  for (const m of code.matchAll(DECLARE)) {
    for (const token of m[1]!.trim().split(/\s+/)) {
      if (token.startsWith('$')) opaque = true;
      const name = token.split('=')[0]!;
      if (IDENT.test(name)) names.add(name);
    }
  }
  for (const m of code.matchAll(READ)) {
    for (const token of m[1]!.trim().split(/\s+/)) if (IDENT.test(token)) names.add(token);
  }
  for (const re of [LOOP, PRINTF_V, GETOPTS]) {
    for (const m of code.matchAll(re)) names.add(m[1]!);
  }
  for (const ref of scan.refs) if (ref.assigns) names.add(ref.name);
  return { names, opaque };
}
