// Editing a runbook's front matter in the document model: YAML edits spliced into the original text
// (yamlEdit.ts), the block re-read and re-validated. A runbook without front matter gets one.
import { readFrontMatter } from '../format/frontMatter.js';
import type { RunbookDocument } from '../format/model.js';
import { deleteYamlIn, setYamlIn, type YamlPath } from './yamlEdit.js';

export type FrontMatterEdit = { path: YamlPath; value: unknown } | { path: YamlPath; delete: true };

export function editFrontMatter(doc: RunbookDocument, edits: readonly FrontMatterEdit[]): void {
  const fm = doc.frontMatter;
  let head: string;
  let yaml: string;
  let foot: string;
  if (fm) {
    const firstNl = fm.raw.indexOf('\n') + 1;
    const lastLineStart = fm.raw.lastIndexOf('\n', fm.raw.length - 2) + 1;
    head = fm.raw.slice(0, firstNl);
    yaml = fm.raw.slice(firstNl, lastLineStart);
    foot = fm.raw.slice(lastLineStart);
    if (!foot.endsWith('\n')) foot += doc.eol; // a record always continues after its front matter
  } else {
    head = `---${doc.eol}`;
    yaml = '';
    foot = `---${doc.eol}`;
  }
  for (const edit of edits) yaml = 'delete' in edit ? deleteYamlIn(yaml, edit.path) : setYamlIn(yaml, edit.path, edit.value);
  if (yaml && !yaml.endsWith('\n')) yaml += doc.eol;
  doc.frontMatter = readFrontMatter(head + yaml + foot);
  if (!fm && doc.lead === '' && doc.cells.length) doc.lead = doc.eol;
}
