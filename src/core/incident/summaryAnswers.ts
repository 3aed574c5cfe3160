// What Resolve Incident asks (summary, impact, root cause; each may be skipped) written into the report's
// summary fields, so the record opens with what happened instead of an empty template.
import { cellText } from './markdown.js';

export interface SummaryAnswers {
  summary?: string;
  impact?: string;
  rootCause?: string;
}

/** The questions, in the order they are asked, with the summary field each one fills. */
export const SUMMARY_QUESTIONS: { key: keyof SummaryAnswers; field: string; title: string; prompt: string }[] = [
  { key: 'summary', field: 'Executive summary', title: 'Summary', prompt: 'What happened and what fixed it, in one or two sentences' },
  { key: 'impact', field: 'Impact', title: 'Impact', prompt: 'Who and what was affected, for how long (users, services, SLA)' },
  { key: 'rootCause', field: 'Root cause', title: 'Root cause', prompt: 'Why it happened, as far as known now' },
];

/**
 * Fills the answered fields of a summary section (`- **Impact** (…): _…_` → `- **Impact** (…): the answer`).
 * Unanswered (empty) questions leave the field as it is; a field the team already filled in is replaced only by
 * a new answer.
 */
export function fillSummary(summary: string, answers: SummaryAnswers): string {
  let out = summary;
  for (const q of SUMMARY_QUESTIONS) {
    const answer = answers[q.key]?.replace(/\s*\r?\n\s*/g, ' ').trim();
    if (!answer) continue;
    const field = new RegExp(`^(\\s*- \\*\\*${q.field}\\*\\*[^:\\n]*:)[^\\n]*$`, 'm');
    // `<` escaped: an answer can never open or close a managed section (`<!-- /runbook:report -->`).
    const text = cellText(answer).replace(/</g, '&lt;');
    out = field.test(out) ? out.replace(field, (_, head: string) => `${head} ${text}`) : `${out.trimEnd()}\n- **${q.field}**: ${text}`;
  }
  return out;
}

/** Whether a summary still has every one of these fields empty (`_…_`). */
export function summaryIsEmpty(summary: string): boolean {
  return SUMMARY_QUESTIONS.every((q) => new RegExp(`^\\s*- \\*\\*${q.field}\\*\\*[^:\\n]*: _…_\\s*$`, 'm').test(summary));
}
