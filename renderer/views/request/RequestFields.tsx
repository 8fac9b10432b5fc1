import type { CallOutput } from '../../../shared/api';
import { ROLE_LABELS } from '../../../shared/roles';

type Field = CallOutput<'requestDetail'>['fields'][number];

/** Role names, with the drawer's own words for the long texts, time and latency. */
const FIELD_TITLES: Record<string, string> = {
  ...ROLE_LABELS,
  input_text: 'Prompt',
  output_text: 'Response',
  latency: 'Latency (ms)',
  timestamp: 'Time',
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
