import type { CallOutput } from '../../../shared/api';

type Detail = CallOutput<'triageCase'>;

const TITLES: Record<string, string> = {
  input_text: 'Prompt',
  retrieval: 'Retrieval',
  tool_calls: 'Tool calls',
  output_text: 'Response',
  judge_score: 'Judge score',
  judge_rationale: 'Judge rationale',
  feedback: 'Feedback',
  refused: 'Refused',
  format_ok: 'Format ok',
  output_format: 'Output format',
  model_version: 'Model version',
  prompt_revision: 'Prompt revision',
  deployment: 'Deployment',
  latency: 'Latency (ms)',
  input_tokens: 'Input tokens',
  output_tokens: 'Output tokens',
  status: 'Status',
  error: 'Error',
  timestamp: 'Time',
  request_id: 'Request id',
};
const LONG = new Set(['input_text', 'retrieval', 'tool_calls', 'output_text', 'judge_rationale']);

/**
 * The request behind a case, in full. Every value is logged, untrusted text: it is rendered
 * as text nodes only (never as HTML or markdown), so a prompt holding <script> stays inert.
 */
export function CaseDetail({ detail }: { detail: Detail }) {
  const long = detail.fields.filter((f) => LONG.has(f.role));
  const short = detail.fields.filter((f) => !LONG.has(f.role));
  return (
    <div className="case-detail">
      <dl className="case-facts">
        {short.map((f) => (
          <div key={f.column} className="fact">
            <dt>{TITLES[f.role] ?? f.column}</dt>
            <dd title={f.column}>{f.text ?? '∅'}</dd>
          </div>
        ))}
      </dl>
      {long.map((f) => (
        <section key={f.column} className="case-text" aria-label={TITLES[f.role] ?? f.column}>
          <h3>{TITLES[f.role] ?? f.column}</h3>
          <pre>{f.text ?? '∅'}</pre>
        </section>
      ))}
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
