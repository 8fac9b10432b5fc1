import { describe, expect, it } from 'vitest';
import { RetryableError, parseRetryAfter, withRetry } from '../../../electron/core/exports/retry';
import { runPool } from '../../../electron/core/exports/pool';

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('0')).toBe(0);
    const now = Date.parse('Mon, 23 Nov 2026 10:00:00 GMT');
    expect(parseRetryAfter('Mon, 23 Nov 2026 10:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 09:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
  });
});

describe('withRetry', () => {
  it('backs off exponentially with full jitter, capped, and waits at least Retry-After', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        if (calls === 3) throw new RetryableError('429', 40);
        if (calls < 5) throw new RetryableError('503');
        return 'done';
      },
      { attempts: 6, baseMs: 10, maxMs: 50, random: () => 0.5, onRetry: (_a, d) => delays.push(d) },
    );
    expect(result).toBe('done');
    // Full jitter at 0.5: 0.5·min(50, 10·2^(n−1)) = 5, 10, 20, 25; attempt 3 waits Retry-After 40.
    expect(delays).toEqual([5, 10, 40, 25]);
  });

  it('does not retry errors that waiting cannot fix, and gives up after the last attempt', async () => {
    let calls = 0;
    await expect(withRetry(async () => { calls++; throw new Error('disk full'); }, { baseMs: 1 })).rejects.toThrow('disk full');
    expect(calls).toBe(1);
    calls = 0;
    await expect(withRetry(async () => { calls++; throw new RetryableError('500'); }, { attempts: 3, baseMs: 1 })).rejects.toThrow('500');
    expect(calls).toBe(3);
  });
});

describe('runPool', () => {
  it('never runs more than the limit at once and runs everything', async () => {
    let inFlight = 0;
    let peak = 0;
    const done: number[] = [];
    await runPool([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      done.push(n);
      inFlight--;
    });
    expect(peak).toBe(3);
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});
