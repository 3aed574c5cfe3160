// `runbook incident start|note|clock|resolve|export|dry-run ...`: incident records on the command line,
// with the same core as the extension.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseRunbook, serializeRunbook, type RunbookDocument } from '../core/format/index.js';
import { appendLogRows } from '../core/run/documentRunner.js';
import { operatorName } from '../core/runbook/operator.js';
import { isDrillRecord } from '../core/runbook/record.js';
import {
  addNote, alertFromPayload, alertStart, dryRun, exportHtml, exportPdf, formatDryRun, incidentClock, NOTE_KINDS, resolveIncident, startIncident, type NoteKind,
} from '../core/incident/index.js';
import { drillReport } from '../core/drill/report.js';
import { writeFileAtomic } from '../core/record/atomicWrite.js';
import { tryLock } from '../core/record/lock.js';
import { parseArgs } from './args.js';
import { decodeUtf8, UsageError } from './roundtrip.js';

export const INCIDENT_USAGE = `  incident start RUNBOOK --severity LEVEL [--id ID] [--operator NAME] [--dir DIR]
                      copy RUNBOOK to DIR/<ID>-<slug>.runbook.md as a new incident record
  incident start RUNBOOK --alert FILE [--alert-index N] [--severity LEVEL] ...
                      the same from an Alertmanager webhook payload: labels fill variables, severity from the alert
  incident note RECORD --kind decision|escalation|communication|note TEXT...
                      add a timeline note to the record's execution log
  incident clock RECORD
                      the incident clock: elapsed time against the severity's response target
  incident resolve RECORD [--status resolved] [--operator NAME]
                      close the incident and append the post-incident report
  incident export RECORD [--out FILE.html] [--pdf FILE.pdf]
                      a self-contained HTML copy of the record (and a PDF through Chromium)
  incident dry-run RECORD (--cell NAME... | --all) [--var NAME=VALUE]... [--record]
                      show what cells would run, where, with variables substituted; --record logs it`;

function read(file: string) {
  return parseRunbook(decodeUtf8(readFileSync(file)));
}

/** Reads a record this command will change: locked first (a `runbook run` writing it makes this refuse,
 *  instead of one of the two writers silently losing the other's rows); the lock goes at process exit. */
function readForUpdate(file: string) {
  tryLock(file);
  return read(file);
}

function writeRecord(file: string, doc: ReturnType<typeof read>): void {
  writeFileAtomic(file, serializeRunbook(doc));
}

function nowOf(values: Record<string, string[]>): Date {
  const text = values.now?.[0];
  if (!text) return new Date();
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) throw new UsageError(`--now: not a time: ${text}`);
  return d;
}

export async function incidentCommand(args: string[], out: (s: string) => void): Promise<number> {
  const [sub, ...rest] = args;
  const a = parseArgs(rest, ['severity', 'id', 'operator', 'dir', 'kind', 'status', 'out', 'pdf', 'cell', 'var', 'now', 'slug', 'alert', 'alert-index'],
    ['all', 'record']);
  const operator = operatorName(a.values.operator?.[0]);
  const file = a.positional[0];
  if (!sub) throw new UsageError('incident needs a subcommand: start, note, clock, resolve, export or dry-run');
  if (!file) throw new UsageError(`incident ${sub} needs a FILE`);
  switch (sub) {
    case 'start': {
      const runbook = parseRunbook(decodeUtf8(readFileSync(file)));
      const fromAlert = a.values.alert ? startFromAlert(runbook, a.values.alert[0]!, a.values['alert-index']?.[0]) : undefined;
      const severity = a.values.severity?.[0] ?? fromAlert?.severity;
      if (!severity) {
        throw new UsageError(fromAlert
          ? `the alert's severity label (${fromAlert.label ?? 'none'}) names none of the runbook's levels: give --severity`
          : 'incident start needs --severity (one of the runbook\'s levels)');
      }
      const started = startIncident(runbook, {
        severity, operator, now: nowOf(a.values), ...(a.values.id ? { id: a.values.id[0]! } : {}),
        ...(a.values.slug ? { slug: a.values.slug[0]! } : {}),
        ...(fromAlert ? { extra: fromAlert.incident, edits: fromAlert.edits } : {}),
      });
      const dir = a.values.dir?.[0] ?? join(dirname(resolve(file)), 'incidents');
      mkdirSync(dir, { recursive: true });
      const target = join(dir, started.fileName);
      if (existsSync(target)) throw new Error(`${target} exists already`);
      writeFileSync(target, started.text);
      out(`${started.id}: record ${target}`);
      if (fromAlert) out(`from alert ${fromAlert.name}: severity ${severity}${Object.keys(fromAlert.variables).length ? `; ${Object.entries(fromAlert.variables).map(([k, v]) => `${k}=${v}`).join(', ')}` : ''}`);
      return 0;
    }
    case 'note': {
      const kind = (a.values.kind?.[0] ?? 'note') as NoteKind;
      if (!NOTE_KINDS.includes(kind)) throw new UsageError(`--kind must be one of ${NOTE_KINDS.join(', ')}`);
      const text = a.positional.slice(1).join(' ');
      if (!text.trim()) throw new UsageError('incident note needs the note TEXT');
      const doc = readForUpdate(file);
      const row = addNote(doc, kind, text, operator, nowOf(a.values));
      writeRecord(file, doc);
      out(`${file}: row ${row.n} ${row.event}`);
      return 0;
    }
    case 'clock': {
      const clock = incidentClock(read(file).frontMatter?.data, nowOf(a.values));
      if (!clock) throw new Error(`${file} is not an incident record`);
      out(clock.label + (clock.overdue ? ' — OVER TARGET' : ''));
      return clock.overdue ? 1 : 0;
    }
    case 'resolve': {
      const doc = readForUpdate(file);
      const drill = isDrillRecord(doc.frontMatter?.data);
      const r = resolveIncident(doc, {
        now: nowOf(a.values), operator, ...(a.values.status ? { status: a.values.status[0]! } : {}),
        ...(drill ? { sections: (d: typeof doc) => [drillReport(d).markdown] } : {}),
      });
      writeRecord(file, doc);
      out(`${file}: resolved after ${Math.round(r.durationMs / 60000)} min; post-incident report appended`);
      return 0;
    }
    case 'export': {
      const doc = read(file);
      const html = a.values.out?.[0] ?? file.replace(/(\.runbook)?\.md$/, '') + '.html';
      writeFileSync(html, exportHtml(doc, { source: basename(file) }));
      out(`${file}: HTML ${html}`);
      const pdf = a.values.pdf?.[0];
      if (pdf) {
        await exportPdf(html, pdf);
        out(`${file}: PDF ${pdf}`);
      }
      return 0;
    }
    case 'dry-run': {
      const names = a.values.cell ?? [];
      if (!names.length && !a.flags.has('all')) throw new UsageError('say which cells: --cell NAME (repeatable) or --all');
      const variables: Record<string, string> = {};
      for (const kv of a.values.var ?? []) {
        const eq = kv.indexOf('=');
        if (eq < 1) throw new UsageError(`--var needs NAME=VALUE, got "${kv}"`);
        variables[kv.slice(0, eq)] = kv.slice(eq + 1);
      }
      const doc = a.flags.has('record') ? readForUpdate(file) : read(file);
      const result = dryRun(doc, a.flags.has('all') ? 'all' : names, { variables, operator, now: nowOf(a.values) });
      out(formatDryRun(result));
      if (a.flags.has('record')) {
        appendLogRows(doc, result.rows);
        writeRecord(file, doc);
        out(`${file}: ${result.rows.length} dry-run row(s) recorded`);
      }
      return 0;
    }
    default:
      throw new UsageError(`unknown incident subcommand '${sub}'`);
  }
}

/** What an Alertmanager payload gives a new incident: severity, variable defaults, `incident.alert`. */
function startFromAlert(doc: RunbookDocument, payloadFile: string, indexText: string | undefined) {
  const index = indexText === undefined ? 0 : Number(indexText);
  if (!Number.isInteger(index) || index < 0) throw new UsageError(`--alert-index needs a number from 0, got "${indexText}"`);
  return alertStart(doc, alertFromPayload(decodeUtf8(readFileSync(payloadFile)), index));
}
