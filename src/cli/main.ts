// The `runbook` command line: the same pure core as the extension, in plain Node.
import { cellsCommand } from './cells.js';
import { checkCommand } from './check.js';
import { drillCommand, DRILL_USAGE } from './drill.js';
import { incidentCommand, INCIDENT_USAGE } from './incident.js';
import { roundtripCommand, UsageError } from './roundtrip.js';
import { runCommand } from './run.js';
import { sealCommand, SEAL_USAGE } from './seal.js';
import { verifyCommand } from './verify.js';

const USAGE = `usage: runbook <command> [args]

commands:
  roundtrip FILE...   check that reading and writing each file changes no byte; prints ok or the first
                      differing line; exits 1 on any difference
  cells FILE          print the parsed cells as JSON lines (kind, language, attributes, outputs, lines)
  run FILE [--cell NAME]... [--all] [--var NAME=VALUE]... [--target HOST] [--out RECORD] [--force] [--wait] [--yes]
           [--timeout 30s] [--continue-on-error] [--ssh-config FILE] [--known-hosts FILE]...
                      run cells headless and write the record (outputs and execution log) to RECORD
                      (default: FILE itself); destructive cells need --yes or a terminal answer;
                      --target runs cells without host= on a front-matter host or ~/.ssh/config alias
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
`;

type Command = (args: string[], out: (s: string) => void) => number | Promise<number>;

const commands: Record<string, Command> = {
  roundtrip: roundtripCommand,
  cells: cellsCommand,
  check: checkCommand,
  run: runCommand,
  verify: verifyCommand,
  seal: sealCommand,
  incident: incidentCommand,
  drill: drillCommand,
};

export async function main(argv: string[], out: (s: string) => void = (s) => console.log(s)): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out(USAGE);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`runbook: unknown command '${name}'\n\n${USAGE}`);
    return 2;
  }
  try {
    return await command(args, out);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`runbook ${name}: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    console.error(`runbook ${name}: ${(e as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
