import { useTriage } from '../../store/triage-store';

/** The service side of triage: its feed in, promoted eval cases out, with each case's push state. */
export function ServiceBar() {
  const { importFeed, pushEvalCases, pushes, queue } = useTriage();
  const pushed = pushes.filter((p) => p.status === 'pushed').length;
  const failed = pushes.filter((p) => p.status === 'failed');
  const promoted = queue?.counts.promoted ?? 0;
  return (
    <div className="row wrap" aria-label="Service">
      <button onClick={() => void importFeed()} title="GET /v1/triage: thumbs down, edits, abandons and the service's auto-flags">Import from service</button>
      <button onClick={() => void pushEvalCases(false)} disabled={promoted === 0} title="POST /v1/eval-cases, idempotent by case id">Push eval cases</button>
      <span className="muted" data-testid="push-state">
        {pushed} pushed{failed.length ? ` · ${failed.length} failed` : ''} of {promoted} promoted
      </span>
      {failed.length > 0 && (
        <button onClick={() => void pushEvalCases(true)} title={failed[0].detail ?? ''}>Retry failed pushes</button>
      )}
    </div>
  );
}
