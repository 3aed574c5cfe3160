// How long a cell may run: its `timeout=` attribute, else the default of the session (the
// `runbook.run.defaultTimeout` setting, `runbook run --timeout`). The runner and every executor's CellStop
// ask here; a timeout of 0 means none.
import type { Attributes } from '../format/model.js';
import { parseDuration } from '../util/duration.js';

export function cellTimeoutMs(attributes: Attributes, defaultMs?: number): number | undefined {
  const ms = parseDuration(attributes.timeout) ?? defaultMs;
  return ms ? ms : undefined;
}
