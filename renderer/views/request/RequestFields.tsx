import type { CallOutput } from '../../../shared/api';

type Field = CallOutput<'requestDetail'>['fields'][number];

export const FIELD_TITLES: Record<string, string> = {
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
 * A logged request, short facts first and long texts below. Every value is untrusted text and
 * is rendered as text nodes only (never HTML or markdown): a prompt holding <script> stays inert.
 */
export function RequestFields({ fields }: { fields: Field[] }) {
  const long = fields.filter((f) => LONG.has(f.role));
  const short = fields.filter((f) => !LONG.has(f.role));
  return (
    <>
      <dl className="case-facts">
        {short.map((f) => (
          <div key={f.column} className="fact">
            <dt>{FIELD_TITLES[f.role] ?? f.column}</dt>
            <dd title={f.column}>{f.text ?? '∅'}</dd>
          </div>
        ))}
      </dl>
      {long.map((f) => (
        <section key={f.column} className="case-text" aria-label={FIELD_TITLES[f.role] ?? f.column}>
          <h3>{FIELD_TITLES[f.role] ?? f.column}</h3>
          <pre>{f.text ?? '∅'}</pre>
        </section>
      ))}
    </>
  );
}
