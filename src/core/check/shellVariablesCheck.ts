// `${VAR}` / `$VAR` in shell cells that nothing defines. Only names that look like runbook variables
// (UPPER_CASE) are reported, and not when they are front-matter variables, are defined in the same cell or
// an earlier shell cell, are common environment variables, or have a default (`${VAR:-x}`).
import { codeCells, type CheckContext } from './context.js';
import { shellDefinitions } from './shellDefinitions.js';
import { shellReferences } from '../runbook/references.js';
import { scanShell } from '../runbook/shellLexer.js';
import type { Finding } from './types.js';

const RUNBOOK_NAME = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*_?$/;

/** Environment variables a shell has without anyone setting them (login, bash, common tools). */
export const ENVIRONMENT = new Set([
  'HOME', 'PATH', 'USER', 'LOGNAME', 'PWD', 'OLDPWD', 'HOSTNAME', 'HOST', 'SHELL', 'TERM', 'LANG', 'LANGUAGE',
  'TMPDIR', 'TEMP', 'TMP', 'EDITOR', 'VISUAL', 'PAGER', 'MAIL', 'TZ', 'DISPLAY', 'UID', 'EUID', 'GROUPS', 'PPID',
  'RANDOM', 'SECONDS', 'LINENO', 'IFS', 'PS1', 'PS2', 'PS3', 'PS4', 'SHLVL', 'OSTYPE', 'HOSTTYPE', 'MACHTYPE',
  'FUNCNAME', 'PIPESTATUS', 'REPLY', 'OPTARG', 'OPTIND', 'OPTERR', 'COLUMNS', 'LINES', 'DIRSTACK', 'BASHPID',
  'EPOCHSECONDS', 'EPOCHREALTIME', 'HISTFILE', 'HISTSIZE', 'HISTFILESIZE', 'HISTCONTROL', 'PROMPT_COMMAND',
  'CDPATH', 'MANPATH', 'INFOPATH', 'LD_LIBRARY_PATH', 'PYTHONPATH', 'GOPATH', 'GOROOT', 'JAVA_HOME', 'NODE_ENV',
  'KUBECONFIG', 'DOCKER_HOST', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'ALL_PROXY', 'CI', 'COLORTERM',
  'PGHOST', 'PGPORT', 'PGUSER', 'PGPASSWORD', 'PGDATABASE', 'PGSSLMODE', 'MYSQL_PWD', 'SUDO_USER', 'SUDO_UID',
  'SUDO_GID', 'SUDO_COMMAND', 'BASH', 'ZSH_VERSION',
]);
const ENVIRONMENT_PREFIXES = ['LC_', 'XDG_', 'SSH_', 'BASH_', 'AWS_', 'GIT_'];

export function isEnvironmentName(name: string): boolean {
  return ENVIRONMENT.has(name) || ENVIRONMENT_PREFIXES.some((p) => name.startsWith(p));
}

export function checkShellVariables(ctx: CheckContext): Finding[] {
  const out: Finding[] = [];
  const earlier = new Set<string>();
  let opaque = false;
  for (const { cell, index } of codeCells(ctx.doc)) {
    if (cell.language !== 'shellscript') continue;
    const scan = scanShell(cell.source);
    const defs = shellDefinitions(scan);
    opaque ||= defs.opaque;
    if (!opaque) {
      for (const ref of shellReferences(cell.source, scan)) {
        const { name } = ref;
        if (ref.guarded || name.length < 2 || !RUNBOOK_NAME.test(name)) continue;
        if (ctx.variableNames.has(name) || defs.names.has(name) || earlier.has(name) || isEnvironmentName(name)) continue;
        out.push({
          where: { in: 'source', cell: index, line: ref.line, start: ref.start, end: ref.end },
          severity: 'warning', code: 'undefined-variable',
          message: `${name} is not defined: add it to the front matter variables, or set it in an earlier cell`,
          data: { name },
        });
      }
    }
    for (const name of defs.names) earlier.add(name);
  }
  return out;
}
