// Incident records (issue 6): start an incident from a runbook, timeline notes, the incident clock,
// resolve with a post-incident report, export to HTML/PDF, and dry runs. Pure core: no `vscode`.
export { startIncident, clearRecord, severityLevels, type StartIncidentOptions, type StartedIncident } from './start.js';
export { noteRow, addNote, isNote, NOTE_KINDS, type NoteKind } from './notes.js';
export { incidentClock, type IncidentClock } from './clock.js';
export { resolveIncident, replaceReport, type ResolveOptions, type Resolved } from './resolve.js';
export { buildReport, existingSummary, timelineTable, SUMMARY_TEMPLATE, type ReportOptions } from './report.js';
export { checklistItems, type ChecklistItem } from './checklist.js';
export { findReportCells, REPORT_OPEN, REPORT_CLOSE } from './reportSection.js';
export { exportHtml, escapeHtml, type ExportHtmlOptions } from './html.js';
export { exportPdf, findChromium, type ExportPdfOptions } from './pdf.js';
export { dryRun, formatDryRun, type DryRunCell, type DryRunOptions, type DryRunResult } from './dryRun.js';
export { editFrontMatter, type FrontMatterEdit } from './frontMatterEdit.js';
export { setYamlIn, deleteYamlIn, YamlEditError } from './yamlEdit.js';
export { incidentId, incidentPrefix, runbookTitle, slugOf } from './ids.js';
export { clockText, compactDuration, isoSeconds } from './time.js';
export { fillSummary, summaryIsEmpty, SUMMARY_QUESTIONS, type SummaryAnswers } from './summaryAnswers.js';
export { timelineEntries, type TimelineEntry, type EntryKind } from './timelineEntries.js';
export { alertFromPayload, alertSeverity, alertVariables, alertEdits, alertReportLines, alertStart, type AlertInfo, type AlertStart } from './alert.js';
export { parseIncidentLink, findRunbookInWorkspace, alertOfLink, confirmDetailText, IncidentLinkError, INCIDENT_LINK_PATH, type IncidentLinkPlan } from './alertLink.js';
