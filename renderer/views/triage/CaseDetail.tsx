import type { CallOutput } from '../../../shared/api';
import { RequestFields } from '../request/RequestFields';

type Detail = CallOutput<'triageCase'>;

/**
 * The request behind a case, in full. Every value is logged, untrusted text: it is rendered
 * as text nodes only (never as HTML or markdown), so a prompt holding <script> stays inert.
 */
export function CaseDetail({ detail }: { detail: Detail }) {
  return (
    <div className="case-detail">
      <RequestFields fields={detail.fields} />
      {detail.fields.length === 0 && (
        <p className="muted">The request is not in this workspace yet (sync its hour to see it in full).</p>
      )}
      <p className="muted" data-testid="similar">
        Similar: {detail.similar.sameSliceCases} other case{detail.similar.sameSliceCases === 1 ? '' : 's'} in this slice
        {detail.similar.sameSliceRequests != null && `, ${detail.similar.sameSliceRequests.toLocaleString('en-US')} requests in the slice`}
        {detail.similar.nearEmbeddings != null && `, ${detail.similar.nearEmbeddings.toLocaleString('en-US')} requests with a near-identical input embedding`}
      </p>
      <details className="history">
        <summary>History ({detail.history.length})</summary>
        <ol>
          {detail.history.map((h) => (
            <li key={h.event_id} className={h.undone ? 'undone' : ''}>
              <code>{h.at.replace('T', ' ').slice(0, 19)}</code> {h.actor} {h.kind}
              {h.root_cause ? ` ${h.root_cause}` : ''}
              {h.note ? ` — ${h.note}` : ''}
              {h.expected ? ` — expected: ${h.expected}` : ''}
              {h.undone ? ' (undone)' : ''}
            </li>
          ))}
        </ol>
      </details>
    </div>
  );
}
