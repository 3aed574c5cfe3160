// One cell output with every text an executor put into it redacted: its text, the strings of its metadata and
// an image's alt text. The SQL, HTTP and PromQL executors all finish through it.
import type { CellOutput } from '../format/model.js';
import type { Redactor } from './redactor.js';

export function redactOutput(output: CellOutput, redact: Redactor): CellOutput {
  const meta: CellOutput['meta'] = {};
  for (const [k, v] of Object.entries(output.meta)) meta[k] = typeof v === 'string' ? redact(v) : v;
  return {
    ...output, text: redact(output.text), meta,
    ...(output.image ? { image: { ...output.image, alt: redact(output.image.alt) } } : {}),
  };
}
