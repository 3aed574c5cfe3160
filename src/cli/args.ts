// A small argv parser for the CLI's `--flag value` options (repeatable ones collect into arrays).
import { UsageError } from './roundtrip.js';

export interface ParsedArgs {
  positional: string[];
  values: Record<string, string[]>;
  flags: Set<string>;
}

export function parseArgs(args: string[], withValue: string[], flags: string[]): ParsedArgs {
  const out: ParsedArgs = { positional: [], values: {}, flags: new Set() };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) {
      out.positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq === -1 ? undefined : eq);
    if (flags.includes(name)) {
      out.flags.add(name);
    } else if (withValue.includes(name)) {
      const value = eq === -1 ? args[++i] : a.slice(eq + 1);
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      (out.values[name] ??= []).push(value);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return out;
}
