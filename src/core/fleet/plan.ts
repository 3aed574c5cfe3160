// How a group run is paced, from the cell's attributes: `forks=N` hosts at once (default 10),
// `serial=N` or `serial=N%` hosts per rolling batch (default: all in one), `max_fail=N` or `N%`: no further
// batch starts once more hosts than that have failed (default: stop when a whole batch failed, as Ansible).
import type { Attributes } from '../format/model.js';

export const DEFAULT_FORKS = 10;

export interface FleetPlan {
  forks: number;
  /** Hosts per batch. */
  batch: number;
  /** Failures allowed before no further batch starts; undefined: stop only when a whole batch failed. */
  maxFail?: number;
}

export function fleetPlan(attributes: Attributes, hosts: number): FleetPlan {
  const forks = count(attributes.forks, 'forks', hosts) ?? DEFAULT_FORKS;
  if (forks < 1) throw new Error('forks must be 1 or more');
  const serial = count(attributes.serial, 'serial', hosts, true);
  const plan: FleetPlan = { forks, batch: Math.max(1, serial ?? hosts) };
  const maxFail = count(attributes.max_fail, 'max_fail', hosts, false, true);
  if (maxFail !== undefined) plan.maxFail = maxFail;
  return plan;
}

/** `N` or `N%` of `total`; a percentage of batch size rounds up (at least 1), of failures it stays exact. */
function count(value: unknown, what: string, total: number, roundUp = false, exact = false): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(String(value).trim());
  if (!m) throw new Error(`${what}=${String(value)}: expected a number or a percentage such as 25%`);
  const n = Number(m[1]);
  if (!m[2]) return n;
  const share = (total * n) / 100;
  if (exact) return share;
  return roundUp ? Math.max(1, Math.ceil(share)) : Math.max(1, Math.floor(share));
}

/** The members cut into rolling batches. */
export function batchesOf<T>(members: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < members.length; i += size) out.push(members.slice(i, i + size));
  return out;
}
