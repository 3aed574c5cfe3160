// A stable JSON text for hashing: object keys sorted, undefined members left out, no whitespace. The same
// data always hashes the same, whatever order a parser or a programmer put the keys in.

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    if (text === undefined) throw new Error(`cannot hash a ${typeof value}`);
    return text;
  }
  // Array.from visits holes too (map skips them and would write `[1,,2]`, which is not JSON).
  if (Array.isArray(value)) return `[${Array.from(value, (v: unknown) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
