import { LoupeError } from '../../shared/errors';

/**
 * Faults a test can switch on (all off by default), documented in service/README.md:
 * - drop-every=N       the tail closes each connection after N events
 * - error-rate=P       a share P of requests answers 503
 * - 429-rate=P         a share P answers 429 with Retry-After: 1
 * - slow-ms=MS         every response waits MS first
 * - truncate-rate=P    a share P of export downloads stops halfway (connection closed)
 * - malformed-rate=P   a share P of tail events is malformed (bad JSON, missing or mistyped
 *                      fields, a 1 MB prompt), sent with its own cursor id
 * - seed=N             the faults' own random seed (default 7)
 */
export interface Faults {
  dropEvery: number | null;
  errorRate: number;
  rate429: number;
  slowMs: number;
  truncateRate: number;
  malformedRate: number;
  random: () => number;
}

export const noFaults = (): Faults => ({ dropEvery: null, errorRate: 0, rate429: 0, slowMs: 0, truncateRate: 0, malformedRate: 0, random: Math.random });

export function parseFaults(spec?: string): Faults {
  const f = noFaults();
  if (!spec) return f;
  let seed = 7;
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [key, raw] = part.split('=');
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new LoupeError({ code: 'bad_input', message: `bad fault value in "${part}"`, hint: 'use key=number, e.g. drop-every=500' });
    switch (key) {
      case 'drop-every': f.dropEvery = Math.max(1, Math.floor(value)); break;
      case 'error-rate': f.errorRate = value; break;
      case '429-rate': f.rate429 = value; break;
      case 'slow-ms': f.slowMs = value; break;
      case 'truncate-rate': f.truncateRate = value; break;
      case 'malformed-rate': f.malformedRate = value; break;
      case 'seed': seed = value; break;
      default: throw new LoupeError({ code: 'bad_input', message: `unknown fault "${key}"`, hint: 'drop-every, error-rate, 429-rate, slow-ms, truncate-rate, malformed-rate, seed' });
    }
  }
  let a = seed >>> 0;
  f.random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return f;
}
