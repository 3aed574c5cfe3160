// The `runbook` command line: the same pure core as the extension, in plain Node. Each command's module
// loads only when that command runs (issue 10 §6): in the bundle each is its own file, dist/cli/<name>.js
// (scripts/build.mjs), so `runbook roundtrip` neither parses nor evaluates a runner or a driver.
import { setFlagsFromString } from 'node:v8';
import { isUsageError, roundtripCommand } from './roundtrip.js';

async function usage(): Promise<string> {
  const [{ SEAL_USAGE }, { INCIDENT_USAGE }, { DRILL_USAGE }, { ALERT_URL_USAGE }] = await Promise.all([
    import('./seal.js'), import('./incident.js'), import('./drill.js'), import('./alertUrl.js'),
  ]);
  return `usage: runbook <command> [args]

commands:
  roundtrip FILE...   check that reading and writing each file changes no byte; prints ok or the first
                      differing line; exits 1 on any difference
  cells FILE          print the parsed cells as JSON lines (kind, language, attributes, outputs, lines)
  run FILE [--cell NAME]... [--all] [--var NAME=VALUE]... [--target HOST] [--out RECORD] [--force] [--wait] [--yes]
           [--timeout 30s] [--db NAME] [--continue-on-error] [--ssh-config FILE] [--known-hosts FILE]...
                      run cells headless and write the record (outputs and execution log) to RECORD
                      (default: FILE itself); destructive cells need --yes or a terminal answer;
                      --target runs cells without host= on a front-matter host or ~/.ssh/config alias;
                      --db is the connection of SQL/PromQL cells without db=
  check [--ssh-config F | --no-ssh-config] FILE...
                      diagnostics (front matter, unknown hosts/connections, undefined variables,
                      placeholders, destructive commands without confirm, ...) as file:line:col
                      severity message; exits 1 on any error
  verify FILE... [--allowed-signers FILE]
                      prove each record whole: log rows and their chain, every output and source of a
                      cell that ran against its latest run, and the seal (signer checked against FILE,
                      git's allowed_signers format); names each problem, exits 1 on any
${SEAL_USAGE}
${INCIDENT_USAGE}
${DRILL_USAGE}
${ALERT_URL_USAGE}
`;
}

type Command = (args: string[], out: (s: string) => void) => number | Promise<number>;

const commands: Record<string, () => Promise<Command>> = {
  roundtrip: async () => roundtripCommand,
  cells: async () => (await import('./cells.js')).cellsCommand,
  check: async () => (await import('./check.js')).checkCommand,
  run: async () => (await import('./run.js')).runCommand,
  verify: async () => (await import('./verify.js')).verifyCommand,
  seal: async () => (await import('./seal.js')).sealCommand,
  incident: async () => (await import('./incident.js')).incidentCommand,
  drill: async () => (await import('./drill.js')).drillCommand,
  'alert-url': async () => (await import('./alertUrl.js')).alertUrlCommand,
};

export async function main(argv: string[], out: (s: string) => void = (s) => console.log(s)): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out(await usage());
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    console.error(`runbook: unknown command '${name}'\n\n${await usage()}`);
    return 2;
  }
  try {
    return await (await load())(args, out);
  } catch (e) {
    if (isUsageError(e)) {
      console.error(`runbook ${name}: ${e.message}\n\n${await usage()}`);
      return 2;
    }
    console.error(`runbook ${name}: ${(e as Error).message}`);
    return 1;
  }
}

/**
 * A reader that went away (`runbook drill list | head -1`): exit quietly, as other command-line tools do,
 * unless a command handles its own output errors (`runbook run` keeps going, so its record is written).
 */
export function quietOnClosedOutput(stream: NodeJS.WriteStream = process.stdout, exit: (code: number) => void = (c) => process.exit(c)): void {
  const onError = (e: NodeJS.ErrnoException): void => {
    if (e.code !== 'EPIPE') throw e;
    if (stream.listenerCount('error') === 1) exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  };
  stream.on('error', onError);
}

if (require.main === module) {
  // fetch (HTTP and PromQL cells) parses responses with undici's WebAssembly llhttp. V8 optimizes that code on
  // a background thread, and Node waits for the job before it exits: about a second of idle after the record
  // is written. V8's baseline WebAssembly compiler alone is plenty for a command's few responses.
  setFlagsFromString('--liftoff-only');
  quietOnClosedOutput();
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
