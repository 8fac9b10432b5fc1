import { describe, expect, it } from 'vitest';
import { agreement } from '../../../electron/core/judge/agreement';
import { jsonFromText } from '../../../electron/core/judge/json-from-text';

describe('re-judge agreement', () => {
  it('matches the figures worked by hand', () => {
    // |Δ| = 0.1, 0.1, 0.3, 0.1 → mean 0.15; pass at 0.5: agree, agree, disagree, disagree → 0.5.
    const r = agreement([
      { online: 0.9, rejudge: 0.8 },
      { online: 0.2, rejudge: 0.1 },
      { online: 0.6, rejudge: 0.3 },
      { online: 0.45, rejudge: 0.55 },
      { online: 0.7, rejudge: null },
    ]);
    expect(r.judged).toBe(4);
    expect(r.meanAbsDiff).toBeCloseTo(0.15, 12);
    expect(r.agreement).toBe(0.5);
  });

  it('counts exactly 0.5 as a pass on both sides', () => {
    expect(agreement([{ online: 0.5, rejudge: 0.99 }]).agreement).toBe(1);
    expect(agreement([{ online: 0.5, rejudge: 0.49 }]).agreement).toBe(0);
  });

  it('has no figures when nothing was judged', () => {
    expect(agreement([{ online: 0.3, rejudge: null }])).toEqual({ judged: 0, meanAbsDiff: null, agreement: null });
  });
});

describe('JSON from a plain-text answer', () => {
  it('reads bare JSON, a fenced block, or the outermost object', () => {
    expect(jsonFromText('{"a":1}')).toEqual({ a: 1 });
    expect(jsonFromText('Sure:\n```json\n{"a":2}\n```\nbye')).toEqual({ a: 2 });
    expect(jsonFromText('The answer is {"a":3}. Hope it helps')).toEqual({ a: 3 });
  });
  it('gives null for text that holds no object', () => {
    expect(jsonFromText('hallucination')).toBeNull();
    expect(jsonFromText('[1,2]')).toBeNull();
    expect(jsonFromText('{"a":')).toBeNull();
  });
});
