// Host ranges both ways: Ansible's `web[01:20]`, `db-[a:c]`, `n[0:10:2]` expand to names; a list of names
// folds into ClusterShell's `web[01-12,15]` so a record names 50 hosts in one short line.

const RANGE = /\[([0-9]+|[a-zA-Z]):([0-9]+|[a-zA-Z])(?::([0-9]+))?\]/;

/** Every name a pattern stands for, in order (a pattern without a range is itself). */
export function expandHostPattern(pattern: string): string[] {
  const m = RANGE.exec(pattern);
  if (!m) return [pattern];
  const [whole, from, to, stepText] = m as unknown as [string, string, string, string | undefined];
  const head = pattern.slice(0, m.index);
  const rest = expandHostPattern(pattern.slice(m.index + whole.length));
  const step = stepText === undefined ? 1 : Number(stepText);
  if (!(step >= 1)) throw new Error(`host range ${whole}: the step must be 1 or more`);
  const items: string[] = [];
  if (/^\d+$/.test(from) && /^\d+$/.test(to)) {
    const a = Number(from);
    const b = Number(to);
    if (a > b) throw new Error(`host range ${whole}: the start is after the end`);
    const width = from.length > 1 && from.startsWith('0') ? from.length : 0; // Ansible pads to the start's width
    for (let n = a; n <= b; n += step) items.push(String(n).padStart(width, '0'));
  } else if (/^[a-zA-Z]$/.test(from) && /^[a-zA-Z]$/.test(to)) {
    const a = from.charCodeAt(0);
    const b = to.charCodeAt(0);
    if (a > b) throw new Error(`host range ${whole}: the start is after the end`);
    for (let c = a; c <= b; c += step) items.push(String.fromCharCode(c));
  } else {
    throw new Error(`host range ${whole}: mixes letters and numbers`);
  }
  const out: string[] = [];
  for (const item of items) for (const tail of rest) out.push(head + item + tail);
  return out;
}

/** Whether a name is a range pattern rather than one host. */
export function isHostPattern(name: string): boolean {
  return RANGE.test(name);
}

/** ClusterShell's folded form: `h01 h02 h03 h07 x` → `h[01-03,07],x` (names sorted, duplicates once). */
export function foldHosts(names: readonly string[]): string {
  // Buckets by prefix and suffix; inside, numbers are padded to one width (`h09 h10` fold, `h1 h01` do not).
  const buckets = new Map<string, { prefix: string; suffix: string; entries: string[] }>();
  const parts: { sort: string; text: string }[] = [];
  for (const name of new Set(names)) {
    const p = lastNumber(name);
    if (!p) {
      parts.push({ sort: name, text: name });
      continue;
    }
    const key = `${p.prefix}\u0000${p.suffix}`;
    let b = buckets.get(key);
    if (!b) buckets.set(key, (b = { prefix: p.prefix, suffix: p.suffix, entries: [] }));
    b.entries.push(p.digits);
  }
  for (const b of buckets.values()) {
    const padded = b.entries.find((d) => d.length > 1 && d.startsWith('0'));
    const width = padded?.length ?? 0;
    const inWidth: number[] = [];
    const natural: number[] = [];
    for (const d of b.entries) {
      if (d.length > 1 && d.startsWith('0')) {
        if (d.length === width) inWidth.push(Number(d));
        else parts.push({ sort: b.prefix + d + b.suffix, text: b.prefix + d + b.suffix });
      } else if (width && d.length >= width) inWidth.push(Number(d));
      else natural.push(Number(d));
    }
    for (const [nums, w] of [[inWidth, width], [natural, 0]] as const) {
      if (nums.length) parts.push(folded(b.prefix, b.suffix, nums, w));
    }
  }
  return parts.sort((a, b) => a.sort.localeCompare(b.sort, 'en', { numeric: true })).map((p) => p.text).join(',');
}

function folded(prefix: string, suffix: string, numbers: number[], width: number): { sort: string; text: string } {
  const nums = [...new Set(numbers)].sort((a, b) => a - b);
  const pad = (n: number) => String(n).padStart(width, '0');
  const first = prefix + pad(nums[0]!) + suffix;
  if (nums.length === 1) return { sort: first, text: first };
  const spans: string[] = [];
  for (let i = 0; i < nums.length;) {
    let j = i;
    while (j + 1 < nums.length && nums[j + 1] === nums[j]! + 1) j++;
    spans.push(i === j ? pad(nums[i]!) : `${pad(nums[i]!)}-${pad(nums[j]!)}`);
    i = j + 1;
  }
  return { sort: first, text: `${prefix}[${spans.join(',')}]${suffix}` };
}

function lastNumber(name: string): { prefix: string; digits: string; suffix: string } | undefined {
  const m = /^(.*?)(\d+)(\D*)$/.exec(name);
  return m ? { prefix: m[1]!, digits: m[2]!, suffix: m[3]! } : undefined;
}
