// Quick fixes: turn a placeholder into a variable (the text becomes `${NAME}` / `{{NAME}}` and NAME is
// added to the front matter `variables:`), and add `confirm=true` to the fence of a destructive cell.
// In a notebook the fence and the front matter live in metadata, which a text edit cannot reach: there
// only the placeholder fix for an existing variable is offered.
import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver/node';
import { attributeSpan, braceOf, CHECKS, type Finding } from '../core/check/index.js';
import { toLspDiagnostic } from './diagnostics.js';
import type { Place, View } from './views.js';

export function codeActions(view: View, uri: string, range: Range): CodeAction[] {
  const findings = CHECKS.flatMap((check) => check(view.ctx));
  const placed = findings.map((f) => ({ f, at: view.place(f.where) }))
    .filter((x): x is { f: Finding; at: Place } => !!x.at);
  const here = placed.filter(({ at }) => at.uri === uri && at.line >= range.start.line && at.line <= range.end.line);
  const out: CodeAction[] = [];
  for (const { f, at } of here) {
    if (f.code === 'placeholder') out.push(...placeholderFixes(view, f, at, placed));
    if (f.code === 'destructive-without-confirm') {
      const fix = confirmFix(view, f, at);
      if (fix) out.push(fix);
    }
  }
  return out;
}

function placeholderFixes(view: View, f: Finding, at: Place, placed: { f: Finding; at: Place }[]): CodeAction[] {
  const data = f.data as { text: string; name: string; language: string };
  const known = view.ctx.variableNames.has(data.name);
  const declare = known ? [] : declareVariable(view, data.name);
  if (!declare) return [];
  const replacement = (language: string) => (language === 'http' ? `{{${data.name}}}` : `\${${data.name}}`);
  const edit = (p: Place, fd: Finding): [string, TextEdit] => [p.uri, {
    range: { start: { line: p.line, character: p.start }, end: { line: p.line, character: p.end } },
    newText: replacement((fd.data as { language: string }).language),
  }];
  const what = known ? `Use the variable ${data.name}` : `Make "${data.text}" the variable ${data.name}`;
  const actions = [action(`${what} (${replacement(data.language)})`, [edit(at, f), ...declare], toLspDiagnostic(f, at), true)];
  const all = placed.filter((x) => x.f.code === 'placeholder' && (x.f.data as { text: string }).text === data.text);
  if (all.length > 1) {
    actions.push(action(`${what} in all ${all.length} places`, [...all.map((x) => edit(x.at, x.f)), ...declare], toLspDiagnostic(f, at), false));
  }
  return actions;
}

/** The edit adding NAME to the front matter variables; undefined when that cannot be done here. */
function declareVariable(view: View, name: string): [string, TextEdit][] | undefined {
  if (view.kind !== 'text') return undefined;
  const uri = view.uris()[0]!;
  const eol = view.doc.eol;
  const secret = /TOKEN|PASSWORD|SECRET|KEY|WEBHOOK|CREDENTIAL/.test(name);
  const prompt = name.toLowerCase().replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
  const entry = (indent: string) => `${indent}${name}: { prompt: ${JSON.stringify(prompt)}${secret ? ', secret: true' : ''} }${eol}`;
  const insert = (line: number, newText: string): [string, TextEdit][] => [[uri, {
    range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText,
  }]];
  const fm = view.ctx.fm;
  if (!fm.present) return insert(0, `---${eol}variables:${eol}${entry('  ')}---${eol}`);
  const at = fm.variableInsert;
  if (!at) return undefined;
  return insert(at.line, (at.needsHeader ? `variables:${eol}` : '') + entry(at.indent));
}

function confirmFix(view: View, f: Finding, at: Place): CodeAction | undefined {
  if (view.kind !== 'text' || f.where.in === 'doc') return undefined;
  const cell = view.doc.cells[f.where.cell];
  if (!cell || cell.kind !== 'code' || !cell.range) return undefined;
  const info = cell.fence.info;
  const base = (cell.fence.lead ?? cell.fence.indent).length + cell.fence.marker.length;
  const line = cell.range.start;
  const existing = attributeSpan(info, 'confirm');
  const brace = braceOf(info);
  let from: number;
  let end: number;
  let newText: string;
  if (existing) {
    [from, end, newText] = [existing.valueStart, existing.valueEnd, 'true'];
  } else if (brace) {
    from = end = brace.close - 1;
    const inner = info.slice(brace.open + 1, from);
    newText = brace.json ? `${inner.trim() ? ', ' : ''}"confirm": true` : `${inner.trim() && !/\s$/.test(inner) ? ' ' : ''}confirm=true`;
  } else {
    from = end = info.trimEnd().length;
    newText = ' {confirm=true}';
  }
  const edit: TextEdit = { range: { start: { line, character: base + from }, end: { line, character: base + end } }, newText };
  return action('Add confirm=true to the fence', [[at.uri, edit]], toLspDiagnostic(f, at), true);
}

function action(title: string, edits: [string, TextEdit][], diagnostic: Diagnostic, preferred: boolean): CodeAction {
  const changes: Record<string, TextEdit[]> = {};
  for (const [uri, edit] of edits) (changes[uri] ??= []).push(edit);
  return { title, kind: CodeActionKind.QuickFix, isPreferred: preferred, edit: { changes }, diagnostics: [diagnostic] };
}
