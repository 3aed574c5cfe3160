// Export: the record as one self-contained HTML file (inline CSS, no scripts, no external assets) for
// people without VS Code: prose rendered with markdown-it, code cells with their outputs and exit codes,
// the post-incident report, and the execution log with its chain check. Print-friendly (PDF via Chromium).
import { markdownIt, type MarkdownItInstance } from '../util/lazy.js';
import type { FrontMatter } from '../format/frontMatter.js';
import type { CellOutput, CodeCell, LogRow, RunbookDocument } from '../format/model.js';
import { runnerOf } from '../format/languages.js';
import { verifyChain } from '../log/chain.js';
import { createRedactor } from '../redact/redactor.js';
import { confirmationNeeded } from '../run/confirmPolicy.js';
import { codeCellNames } from '../contract/cellName.js';
import { incidentClock } from './clock.js';
import { timelineTable } from './report.js';
import { findReportCells, reportPartOf } from './reportSection.js';
import { runbookTitle } from './ids.js';
import { compactDuration, humanUtc, isoSeconds, timeOfDay, toDate } from './time.js';

export interface ExportHtmlOptions {
  /** Page title (default: incident id and runbook title). */
  title?: string;
  /** Shown in the footer (default: now). */
  exportedAt?: Date;
  /** Shown in the footer: the record's file name. */
  source?: string;
}

let renderer: MarkdownItInstance | undefined;
/** Made on the first export: markdown-it is not loaded when the extension activates. */
function md(): MarkdownItInstance {
  return (renderer ??= new (markdownIt())({ html: false, linkify: false, typographer: false }));
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function exportHtml(doc: RunbookDocument, o: ExportHtmlOptions = {}): string {
  const fm = doc.frontMatter?.data;
  const incident = fm?.incident;
  const name = runbookTitle(doc);
  const title = o.title ?? ([incident?.id, name].filter(Boolean).join(' — ') || 'Runbook record');
  const rows = doc.log?.rows ?? [];
  const exportedAt = o.exportedAt ?? new Date();
  const report = reportParts(doc);
  // What a reader needs first: the summary, the timeline and the log; then the steps that ran (steps never
  // run folded); the rest of the report and the hash chain last.
  const top: string[] = [];
  top.push(report.lead ? renderMarkdown(report.lead) : '<section class="prose"><h2>Post-incident report</h2><p class="muted">'
    + (incident ? 'Not resolved yet: "Resolve Incident" writes the summary and the report.' : 'This record has no incident report.') + '</p></section>');
  if (report.summary) top.push(renderMarkdown(report.summary));
  top.push(renderMarkdown(report.timeline ?? `### Timeline\n\n${timelineTable(rows, toDate(incident?.started), toDate(incident?.ended), incident?.status)}`));
  const log = logSection(rows);
  const names = codeCellNames(doc.cells);
  const steps: string[] = [];
  let codeIndex = 0;
  const reportStart = report.lead0 === undefined ? -1 : findReportCells(doc.cells)?.start;
  doc.cells.forEach((cell, i) => {
    if (report.cells.has(i)) {
      if (cell.kind === 'code') codeIndex++;
      return;
    }
    if (cell.kind === 'markdown') steps.push(renderMarkdown(i === reportStart ? report.lead0! : cell.source));
    else steps.push(renderCode(cell, names[codeIndex++]!, fm));
  });
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Runbook Notebooks">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header class="record">
<h1>${escapeHtml(title)}</h1>
${header(doc, exportedAt)}
</header>
<section class="report">
${top.join('\n')}
</section>
${log}
${report.rest.length ? `<section class="report more">\n${report.rest.map(renderMarkdown).join('\n')}\n</section>` : ''}
<main>
<h2>Steps</h2>
<p class="muted">The runbook as it was worked through: steps that ran show their output; steps never run are folded.</p>
${steps.join('\n')}
</main>
${chainSection(rows)}
<footer>Exported ${escapeHtml(humanUtc(exportedAt))} by Runbook Notebooks${o.source ? ` from <code>${escapeHtml(o.source)}</code>` : ''}. The markdown record is the authoritative copy; its execution log is hash-chained: check it with <b>Runbook: Verify Record</b> in VS Code or <code>runbook verify FILE</code> on the command line.</footer>
</body>
</html>
`;
}

interface ReportParts {
  /** Indexes of the report's cells in the document (left out of the steps). */
  cells: Set<number>;
  /** The runbook's prose that shares the report's first cell (shown as a step). */
  lead0?: string;
  /** The report heading and its details list. */
  lead?: string;
  summary?: string;
  timeline?: string;
  /** Other report sections (drill, commands run, hosts touched, checklists). */
  rest: string[];
}

/** The post-incident report of a record, split at its `###` headings. */
function reportParts(doc: RunbookDocument): ReportParts {
  const range = findReportCells(doc.cells);
  const parts: ReportParts = { cells: new Set(), rest: [] };
  if (!range) return parts;
  const text: string[] = [];
  for (let i = range.start; i < range.end; i++) {
    const c = doc.cells[i]!;
    if (i === range.start && range.lead !== undefined) parts.lead0 = range.lead;
    else parts.cells.add(i);
    text.push(c.kind !== 'markdown' ? '' : i === range.start ? reportPartOf(c, range) : c.source);
  }
  const chunks = text.join('\n\n').split(/\n(?=### )/);
  parts.lead = chunks.shift();
  for (const chunk of chunks) {
    if (/^### Summary\b/.test(chunk)) parts.summary = chunk;
    else if (/^### Timeline\b/.test(chunk)) parts.timeline = chunk;
    else parts.rest.push(chunk);
  }
  return parts;
}

function header(doc: RunbookDocument, now: Date): string {
  const fm = doc.frontMatter?.data;
  const incident = fm?.incident;
  const items: [string, string][] = [];
  if (incident) {
    const clock = incidentClock(fm, now);
    items.push(['Incident', escapeHtml(incident.id) + (incident.drill ? ' <span class="badge drill">DRILL</span>' : '')]);
    if (incident.severity) {
      const target = fm?.severity?.[incident.severity];
      items.push(['Severity', escapeHtml(incident.severity) + (target ? ` <span class="muted">(response target ${escapeHtml(target)})</span>` : '')]);
    }
    items.push(['Status', escapeHtml(String(incident.status ?? 'open'))]);
    items.push(['Started', escapeHtml(humanUtc(incident.started))]);
    if (incident.ended) items.push(['Ended', escapeHtml(humanUtc(incident.ended))]);
    if (clock) items.push(['Duration', escapeHtml(compactDuration(clock.elapsedMs)) + (clock.overdue ? ' <span class="badge fail">over target</span>' : '')]);
    if (incident.commander) items.push(['Commander', escapeHtml(incident.commander)]);
  } else if (fm?.description) {
    items.push(['About', escapeHtml(fm.description)]);
  }
  const rows = doc.log?.rows ?? [];
  if (rows.length) {
    const chain = verifyChain(rows);
    items.push(['Execution log', `${rows.length} row(s), ` + (chain.ok ? '<span class="badge ok">hash chain intact</span>'
      : `<span class="badge fail">hash chain broken at row ${chain.badRow}</span> ${escapeHtml(chain.reason)}`)]);
  }
  if (!items.length) return '';
  return `<dl>${items.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

function renderMarkdown(source: string): string {
  // Managed-section markers are HTML comments (invisible on GitHub); markdown-it runs with html off, so drop them.
  const text = source.split('\n').filter((l) => !/^\s*<!--.*-->\s*$/.test(l)).join('\n');
  if (!text.trim()) return '';
  const html = md().render(text)
    .replace(/<li>(<p>)?\[ \] /g, '<li class="task">$1<span class="box">☐</span> ')
    .replace(/<li>(<p>)?\[[xX]\] /g, '<li class="task done">$1<span class="box">☑</span> ');
  return `<section class="prose">${html}</section>`;
}

function renderCode(cell: CodeCell, name: string, fm: FrontMatter | undefined): string {
  const runnable = runnerOf(cell.language) !== undefined;
  const lang = cell.fence.lang || cell.language;
  const tags: string[] = [`<span class="lang">${escapeHtml(lang || 'text')}</span>`];
  if (runnable) tags.push(`<span class="name">${escapeHtml(name)}</span>`);
  const host = cell.attributes.host ?? cell.attributes.db;
  if (runnable && host !== undefined && host !== null) tags.push(`<span class="target">on ${escapeHtml(String(host))}</span>`);
  if (runnable && confirmationNeeded(cell.source, cell.attributes, cell.language, fm, { fenceLanguage: cell.fence.lang })) tags.push('<span class="badge warn">asks for confirmation</span>');
  const source = `<pre class="source"><code>${escapeHtml(cell.source)}</code></pre>`;
  if (runnable && !cell.outputs.length) {
    tags.push('<span class="muted">not run</span>');
    return `<details class="cell runnable not-run"><summary>${tags.join(' ')}</summary>\n${source}</details>`;
  }
  const outputs = cell.outputs.map(renderOutput).join('\n');
  return `<figure class="cell ${runnable ? 'runnable' : 'static'}"><figcaption>${tags.join(' ')}</figcaption>
${source}${outputs ? `\n${outputs}` : ''}</figure>`;
}

function renderOutput(out: CellOutput): string {
  const m = out.meta;
  const facts: string[] = [];
  if (m.host) facts.push(escapeHtml(String(m.host)));
  if (m.started) facts.push(escapeHtml(String(m.started)));
  if (typeof m.ms === 'number') facts.push(m.ms < 1000 ? `${m.ms} ms` : escapeHtml(compactDuration(m.ms)));
  if (m.exit !== undefined) facts.push(m.exit === 0 ? '<span class="badge ok">exit 0</span>' : `<span class="badge fail">exit ${m.exit ?? '?'}</span>`);
  if (m.cut) facts.push(`<span class="badge warn">${escapeHtml(String(m.cut))} bytes cut</span>`);
  const stream = m.stream === 'stderr' ? 'stderr' : 'stdout';
  // Redaction runs on the text as shown, after escape codes are gone (a code may have split a token).
  const text = showRedacted(terminalText(out.text));
  return `<div class="output ${stream}${m.kind ? ` ${escapeHtml(String(m.kind))}` : ''}"><div class="meta">${stream === 'stderr' ? '<span class="stream">stderr</span> ' : ''}${facts.join(' · ')}</div><pre>${escapeHtml(text) || '<span class="muted">(no output)</span>'}</pre></div>`;
}

const showRedacted = createRedactor([]);

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g');

/** What a terminal would show: colour codes dropped, a line rewritten with `\r` (progress meters) shown as its last state. */
export function terminalText(text: string): string {
  return text.replace(ANSI, '').split('\n').map((line) => {
    const l = line.replace(/\r+$/, '');
    const cr = l.lastIndexOf('\r');
    return cr === -1 ? l : l.slice(cr + 1);
  }).join('\n');
}

/**
 * The execution log, readable on a page: one line of facts per row and its detail (note text, reasons) on a
 * full-width line below; the hashes move to their own table at the end (chainSection).
 */
function logSection(rows: LogRow[]): string {
  if (!rows.length) return '';
  const head = ['#', 'Time', 'Who', 'Target', 'Cell', 'Event', 'Exit', 'Took'];
  const body = rows.map((r) => {
    const cls = r.event.startsWith('note:') ? 'note' : r.exit !== null && r.exit !== 0 ? 'failed' : r.event;
    const cells = [String(r.n), timeOfDay(r.time), r.operator, r.target, r.cell, r.event,
      r.exit === null ? '' : String(r.exit), r.ms === null ? '' : r.ms < 1000 ? `${r.ms} ms` : compactDuration(r.ms)];
    const facts = `<tr class="${escapeHtml(cls)}">${cells.map((c, i) => `<td class="c${i}">${escapeHtml(c)}</td>`).join('')}</tr>`;
    return r.detail ? `${facts}\n<tr class="${escapeHtml(cls)} detail"><td></td><td class="detail" colspan="7">${escapeHtml(r.detail)}</td></tr>` : facts;
  }).join('\n');
  const day = rows[0]!.time.slice(0, 10);
  return `<section class="log"><h2>Execution log</h2>
<p class="muted">Every run, refusal, confirmation and note, in order (times UTC, ${escapeHtml(day)}). The hash chain is at the end.</p>
<table><colgroup><col class="c0"><col class="c1"><col class="c2"><col class="c3"><col class="c4"><col class="c5"><col class="c6"><col class="c7"></colgroup>
<thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead>
<tbody>
${body}
</tbody></table></section>`;
}

/** The digest and chain hash of every log row (what `runbook verify` checks). */
function chainSection(rows: LogRow[]): string {
  if (!rows.length) return '';
  return `<section class="chain"><h2>Hash chain</h2>
<table><thead><tr><th>#</th><th>Digest (command + output)</th><th>Chain</th></tr></thead>
<tbody>
${rows.map((r) => `<tr><td>${r.n}</td><td class="hash">${escapeHtml(r.digest)}</td><td class="hash">${escapeHtml(r.chain)}</td></tr>`).join('\n')}
</tbody></table></section>`;
}

/** ISO time of the export, for callers that name files after it. */
export function exportStamp(now: Date): string {
  return isoSeconds(now).replace(/[-:]/g, '');
}

const CSS = `
:root { --fg:#1f2328; --muted:#59636e; --border:#d1d9e0; --bg-code:#f6f8fa; --ok:#1a7f37; --fail:#cf222e; --warn:#9a6700; --note:#0969da; }
* { box-sizing: border-box; }
body { font: 15px/1.55 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--fg); max-width: 980px; margin: 0 auto; padding: 24px; }
h1 { font-size: 1.7em; margin: 0 0 .4em; } h2 { border-bottom: 1px solid var(--border); padding-bottom: .2em; }
header.record { border: 1px solid var(--border); border-radius: 8px; padding: 12px 16px; margin-bottom: 24px; background: #fbfcfd; }
header dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
header dt { font-weight: 600; } header dd { margin: 0; }
code, pre { font: 12.5px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
:not(pre) > code { background: var(--bg-code); padding: .1em .35em; border-radius: 4px; }
pre { background: var(--bg-code); padding: 10px 12px; border-radius: 6px; overflow-x: auto; white-space: pre-wrap; word-break: break-word; margin: 0; }
figure.cell { margin: 14px 0; border: 1px solid var(--border); border-radius: 8px; overflow: hidden; }
figure.cell figcaption { font-size: 12px; padding: 5px 10px; background: #eef1f4; border-bottom: 1px solid var(--border); display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
figure.cell pre.source { border-radius: 0; }
.lang { text-transform: uppercase; font-weight: 600; color: var(--muted); } .name { font-family: ui-monospace, monospace; font-weight: 600; }
.target, .muted { color: var(--muted); }
.output { border-top: 1px dashed var(--border); } .output .meta { font-size: 12px; color: var(--muted); padding: 4px 12px; }
.output pre { background: #fff; border-radius: 0; } .output.stderr pre { color: #8c1d18; background: #fff8f7; }
.badge { display: inline-block; font-size: 11px; font-weight: 600; padding: 0 6px; border-radius: 10px; border: 1px solid currentColor; }
.badge.ok { color: var(--ok); } .badge.fail { color: var(--fail); } .badge.warn { color: var(--warn); } .badge.drill { color: var(--note); }
.stream { font-weight: 600; color: #8c1d18; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 8px 0; }
th, td { border: 1px solid var(--border); padding: 4px 7px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
section.log table { table-layout: fixed; }
section.log col.c0 { width: 2.6em; } section.log col.c1 { width: 6.2em; } section.log col.c2 { width: 6em; }
section.log col.c3 { width: auto; } section.log col.c4 { width: 24%; } section.log col.c5 { width: 8.5em; }
section.log col.c6 { width: 2.8em; } section.log col.c7 { width: 5.2em; }
section.log td { overflow-wrap: anywhere; } section.log tr.detail td { border-top: 0; padding-top: 0; color: var(--muted); }
section.log tr.detail td.detail { overflow-wrap: break-word; } section.log tr:has(+ tr.detail) td { border-bottom: 0; }
section.chain td.hash { font-family: ui-monospace, monospace; font-size: 11px; color: var(--muted); }
section.chain table { width: auto; }
details.cell { margin: 8px 0; border: 1px dashed var(--border); border-radius: 8px; }
details.cell > summary { font-size: 12px; padding: 5px 10px; cursor: pointer; color: var(--muted); }
details.cell pre.source { border-radius: 0 0 8px 8px; }
section.report { margin-bottom: 24px; }
section.log tr.note td { background: #f0f6ff; } section.log tr.failed td { background: #fff5f5; }
li.task { list-style: none; } li.task .box { margin-left: -1.2em; } li.task.done { color: var(--muted); }
blockquote { margin: 0; padding: 0 1em; color: var(--muted); border-left: 4px solid var(--border); }
footer { margin-top: 32px; font-size: 12px; color: var(--muted); }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  figure.cell figcaption, header.record, tr { break-inside: avoid; }
  h1, h2, h3, h4 { break-after: avoid; }
  pre { overflow: visible; }
}
`;
