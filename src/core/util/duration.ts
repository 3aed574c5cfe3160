// Durations as written in runbooks: "30s", "15m", "1h", "500ms", "2d" or a bare number of seconds.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds for a duration string; undefined when it is not one. */
export function parseDuration(text: string | number | boolean | null | undefined): number | undefined {
  if (typeof text === 'number') return text >= 0 ? text * 1000 : undefined;
  if (typeof text !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!m) return undefined;
  return Math.round(Number(m[1]) * UNIT_MS[m[2] ?? 's']!);
}

/** "412 ms", "3.2 s", "4 min 05 s", "1 h 02 min" — how long something took, for people. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalS = Math.round(ms / 1000);
  if (totalS < 3600) return `${Math.floor(totalS / 60)} min ${String(totalS % 60).padStart(2, '0')} s`;
  const totalM = Math.floor(totalS / 60);
  return `${Math.floor(totalM / 60)} h ${String(totalM % 60).padStart(2, '0')} min`;
}
