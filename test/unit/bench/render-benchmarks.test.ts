import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mergeResults, parseJsonLines, readBenchResults } from '../../bench/harness/bench-record';
import { formatFigure, renderBenchmarks } from '../../bench/harness/render-benchmarks';
import { renderReport, reportFile } from '../../bench/harness/report';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = readBenchResults(path.join(here, '..', '..', 'fixtures', 'bench-results'));

describe('docs/benchmarks.md renderer', () => {
  const page = renderBenchmarks(fixture);

  it('lists every bench once with its latest run by date, not by line order', () => {
    expect(page).toContain(
      '| [tail-ingest-bench](#tail-ingest-bench) | 2026-12-03 10:00 UTC | `bbbbbbbbbb` (uncommitted changes) | 1.25 → 2.5 | `50000 3` | 2 |',
    );
    expect(page).toContain('| [workspace-open-bench](#workspace-open-bench) | 2026-12-02 08:30 UTC | `cccccccccc` | 0.5 → 1 | defaults | 1 |');
    expect(page).not.toContain('13,745'); // the older run's figure
    expect(page).not.toContain('aaaaaaaaaa');
  });

  it('puts the peers measured in the same run beside the figures, with machine and load', () => {
    const section = page.slice(page.indexOf('## tail-ingest-bench'), page.indexOf('## workspace-open-bench'));
    expect(section).toBe(
      [
        '## tail-ingest-bench',
        '',
        '2026-12-03 10:00 UTC · commit `bbbbbbbbbb` (uncommitted changes) · 2 × Test CPU, 24 GiB, linux x64, Node 20.19.0 · load 1.25 / 1.5 / 1.75 before, 2.5 / 1.75 / 1.8 after (1 / 5 / 15 min) · 31.5 s · args `50000 3`',
        '',
        '| figure | measured | bare row Appender, same rows |',
        '|---|---:|---:|',
        '| events | 50,000 | — |',
        '| ratePerS | 22,450 | 64,000 |',
        '| runsPerS | 22,450, 23,250, 19,778 | 63,000, 64,000, 66,000 |',
        '| ratioToAppender | 0.351 | — |',
        '',
        '1 earlier run in [bench-results/tail-ingest-bench.jsonl](../bench-results/tail-ingest-bench.jsonl).',
        '',
        '',
      ].join('\n'),
    );
  });

  it('shows a note and escapes a pipe in a label', () => {
    expect(page).toContain('Sample of 331 partitions.');
    expect(page).toContain('| label | a\\|b |');
    expect(page).toContain('| coldMs | 10,700 |');
    expect(page).toContain('| warmMs | 96.5 |');
    expect(page).toContain('All runs: [bench-results/workspace-open-bench.jsonl]');
  });

  it('reads a line written by hand in the interim shape (machine.loadavg, args as an object, no peers)', () => {
    expect(page).toContain('| [interim-bench](#interim-bench) | 2026-12-02 12:00 UTC | `dddddddddd` | 3.5 → — | `{"rows":1000}` | 1 |');
    expect(page).toContain('2026-12-02 12:00 UTC · commit `dddddddddd` · 2 × CPU · load 3.5 / 2 / 1 before, — after (1 / 5 / 15 min) · args `{"rows":1000}`');
    expect(page).toContain('| detail | {"p95":3} |');
  });

  it('formats figures for reading', () => {
    expect([1234567, 0.000123, 3.14159, 1500.6, null, true, [1, 2.5]].map((v) => formatFigure(v))).toEqual(['1,234,567', '1.23e-4', '3.14', '1,501', '—', 'true', '1, 2.5']);
  });

  it('the committed docs/benchmarks.md is what bench:report renders from bench-results/', () => {
    expect(fs.readFileSync(reportFile, 'utf8'), 'run npm run bench:report').toBe(renderReport());
  });
});

describe('bench results', () => {
  it('merges several reports of one run: later keys win, peers merge by name, notes add up', () => {
    expect(
      mergeResults([
        { figures: { a: 1, b: 2 }, peers: { p: { a: 3 } }, note: 'one.' },
        { figures: { b: 5 }, peers: { p: { c: 4 }, q: { a: 0 } }, note: 'two.' },
      ]),
    ).toEqual({ figures: { a: 1, b: 5 }, peers: { p: { a: 3, c: 4 }, q: { a: 0 } }, note: 'one. two.' });
  });

  it('names the file and line of a bad JSON line', () => {
    expect(() => parseJsonLines('{"a":1}\n\n{nope\n', 'x.jsonl')).toThrow(/^x\.jsonl:3: not JSON/);
    expect(() => parseJsonLines('[1]\n', 'x.jsonl')).toThrow('x.jsonl:1: expected a JSON object');
  });
});
