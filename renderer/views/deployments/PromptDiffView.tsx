import type { CallOutput } from '../../../shared/api';

type Diff = NonNullable<CallOutput<'deploymentEvidence'>['promptDiff']>;
type Segments = Diff['rows'][number]['left'];

/** Prompt texts side by side: changed lines paired, changed words marked. Text only, never HTML. */
export function PromptDiffView({ diff }: { diff: Diff }) {
  return (
    <section aria-label="Prompt diff" className="prompt-diff">
      <h3>
        Prompt diff {diff.from} → {diff.to} <span className="muted small">({diff.changedLines} line{diff.changedLines === 1 ? '' : 's'} differ)</span>
      </h3>
      <div className="diff-grid" role="table" aria-label={`prompt of ${diff.from} and of ${diff.to}`}>
        <div role="row" className="diff-row diff-head">
          <div role="columnheader">{diff.from}</div>
          <div role="columnheader">{diff.to}</div>
        </div>
        {diff.rows.map((r, i) => (
          <div role="row" key={i} className={`diff-row diff-${r.kind}`}>
            <div role="cell" className="diff-cell" data-testid={r.kind === 'same' ? undefined : 'diff-left'}>
              <Line segments={r.left} />
            </div>
            <div role="cell" className="diff-cell" data-testid={r.kind === 'same' ? undefined : 'diff-right'}>
              <Line segments={r.right} />
            </div>
          </div>
        ))}
      </div>
    </section>
  );
}

function Line({ segments }: { segments: Segments }) {
  if (!segments) return <span className="muted">—</span>;
  return (
    <>
      {segments.map((s, i) =>
        s.change === 'same' ? (
          <span key={i}>{s.text}</span>
        ) : s.change === 'removed' ? (
          <del key={i} className="diff-removed">{s.text}</del>
        ) : (
          <ins key={i} className="diff-added">{s.text}</ins>
        ),
      )}
    </>
  );
}
