// Check findings → LSP diagnostics, grouped by the document (text file or notebook cell) they belong to.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import { CHECKS, type Finding, type Severity } from '../core/check/index.js';
import type { Place, View } from './views.js';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toLspDiagnostic(f: Finding, at: Place): Diagnostic {
  const d: Diagnostic = {
    range: { start: { line: at.line, character: at.start }, end: { line: at.line, character: at.end } },
    severity: SEVERITY[f.severity], code: f.code, source: 'runbook', message: f.message,
  };
  if (f.data) d.data = f.data;
  return d;
}

/** Diagnostics for every document of a view (an empty list for documents without problems). */
export function diagnosticsOf(view: View): Map<string, Diagnostic[]> {
  const byUri = new Map<string, Diagnostic[]>(view.uris().map((u) => [u, []]));
  for (const f of CHECKS.flatMap((check) => check(view.ctx))) {
    const at = view.place(f.where);
    if (at) byUri.get(at.uri)?.push(toLspDiagnostic(f, at));
  }
  for (const list of byUri.values()) {
    list.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  }
  return byUri;
}
