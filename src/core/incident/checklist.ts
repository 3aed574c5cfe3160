// GFM task list items (`- [ ] ...`, `- [x] ...`) of a runbook's prose, with the heading they sit under:
// the checklist state the post-incident report shows.
import type { RunbookDocument } from '../format/model.js';
import { findReportCells } from './reportSection.js';

export interface ChecklistItem {
  /** The headings above the item, outermost first ("Incident Response Checklist › Post-Incident"). */
  section: string;
  text: string;
  done: boolean;
}

const TASK = /^\s{0,12}(?:[-*+]|\d+[.)])\s+\[( |x|X)\]\s+(.*)$/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;

export function checklistItems(doc: RunbookDocument): ChecklistItem[] {
  const report = findReportCells(doc.cells);
  const headings: string[] = [];
  const items: ChecklistItem[] = [];
  doc.cells.forEach((cell, index) => {
    if (cell.kind !== 'markdown' || (report && index > report.start && index < report.end)) return;
    const source = report && index === report.start ? (report.lead ?? '') : cell.source;
    for (const line of source.split('\n')) {
      const h = HEADING.exec(line);
      if (h) {
        headings.length = h[1]!.length - 1;
        headings[h[1]!.length - 1] = plain(h[2]!);
        continue;
      }
      const t = TASK.exec(line);
      if (t) items.push({ section: headings.filter(Boolean).slice(-2).join(' › '), text: t[2]!.trim(), done: t[1] !== ' ' });
    }
  });
  return items;
}

function plain(text: string): string {
  return text.replace(/\*\*|__|`/g, '').replace(/^[^\p{L}\p{N}]+/u, '').trim();
}
