// Benchmark: the document format (DESIGN §1) on a ~10 MB runbook, side by side with markdown-it's block
// tokenizer on the same text. Targets: parseRunbook no slower than the tokenizer, serializeRunbook ≥ 4x faster.
import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import { parseRunbook, serializeRunbook, type CodeCell } from '../src/core/format/index.js';
import { generateRunbook } from './generateRunbook.js';
import { measure, type BenchRow, type BenchSection, type SectionResult } from './lib.js';

const TOKENIZER = 'markdown-it block tokenizer';

export const formatSection: BenchSection = {
  title: 'Document format: parseRunbook / serializeRunbook (~10 MB, 2,000 code cells)',
  run(options): SectionResult {
    const gen = generateRunbook({ cells: 2000, targetBytes: 10 * 1024 * 1024 });
    const text = gen.text;
    const bytes = Buffer.byteLength(text, 'utf8');
    const crlf = text.replace(/\n/g, '\r\n');

    // Correctness first: the benchmark is meaningless if the document does not round-trip.
    const doc = parseRunbook(text);
    const codes = doc.cells.filter((c): c is CodeCell => c.kind === 'code');
    const outputs = codes.reduce((n, c) => n + c.outputs.length, 0);
    const back = serializeRunbook(doc);
    const crlfDoc = parseRunbook(crlf);

    const md = new MarkdownIt();
    const blockOnly = (src: string): Token[] => {
      const tokens: Token[] = [];
      md.block.parse(src, md, {}, tokens);
      return tokens;
    };
    const noInline = new MarkdownIt();
    noInline.disable('inline');
    const tokenCount = blockOnly(text).length;

    const inProcess = (what: string) => `in-process, one call on the ${(bytes / 1024 / 1024).toFixed(1)} MB string already in memory: ${what} (no I/O, no process start)`;
    const rows: BenchRow[] = [
      measure(TOKENIZER, bytes, () => blockOnly(text), options, '(md.block.parse, reference)'),
      measure('markdown-it md.parse, inline rule disabled', bytes, () => noInline.parse(text, {}), options, '(info)'),
      measure('parseRunbook (deserialize)', bytes, () => parseRunbook(text), options),
      measure('serializeRunbook (serialize)', bytes, () => serializeRunbook(doc), options),
      measure('parseRunbook, CRLF copy', Buffer.byteLength(crlf, 'utf8'), () => parseRunbook(crlf), options, '(info)'),
      measure('serializeRunbook, CRLF copy', Buffer.byteLength(crlf, 'utf8'), () => serializeRunbook(crlfDoc), options, '(info)'),
    ];
    rows[0]!.measures = inProcess('markdown-it md.block.parse → block tokens (no inline parsing, no normalization)');
    rows[2]!.measures = inProcess('parseRunbook → cells, attributes, outputs, front matter, log rows');
    rows[3]!.measures = inProcess('serializeRunbook of the parsed document → the same text');

    return {
      rows,
      reference: TOKENIZER,
      targets: [
        { name: 'deserialize no slower than the tokenizer', row: 'parseRunbook (deserialize)', maxRatio: 1.0 },
        { name: 'serialize at least 4x faster than the tokenizer', row: 'serializeRunbook (serialize)', maxRatio: 0.25 },
      ],
      checks: [
        { name: 'generated document round-trips byte for byte', ok: back === text, detail: firstDifference(text, back) },
        { name: 'CRLF copy round-trips byte for byte', ok: serializeRunbook(crlfDoc) === crlf, detail: firstDifference(crlf, serializeRunbook(crlfDoc)) },
        { name: `${gen.codeCells} code cells read`, ok: codes.length === gen.codeCells, detail: `${codes.length} code cells, ${doc.cells.length - codes.length} markdown cells` },
        { name: `${gen.outputs} output blocks read`, ok: outputs === gen.outputs, detail: `${outputs}` },
        { name: `${gen.logRows} log rows read`, ok: doc.log?.rows.length === gen.logRows, detail: `${doc.log?.rows.length ?? 0}` },
        { name: 'front matter valid', ok: !!doc.frontMatter?.data, detail: doc.frontMatter?.errors.map((e) => e.message).join('; ') },
      ],
      notes: [
        `input ${(bytes / 1024 / 1024).toFixed(2)} MB (${text.length.toLocaleString('en')} UTF-16 units, ${text.split('\n').length.toLocaleString('en')} lines), ` +
          `${tokenCount.toLocaleString('en')} markdown-it block tokens`,
        `${options.warmup} warm-up + median of ${options.runs} runs each; full GC before every timed run`,
        'the reference is markdown-it\'s block tokenizer alone (md.block.parse on the LF text: no normalize, no inline)',
      ],
    };
  },
};

function firstDifference(a: string, b: string): string | undefined {
  if (a === b) return undefined;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `first difference at offset ${i}: ${JSON.stringify(a.slice(i, i + 40))} vs ${JSON.stringify(b.slice(i, i + 40))}`;
}
