import type { LoupeErrorValue } from '../../shared/errors';

/** An error the user can act on: what, where, and what next. Text only. */
export function ErrorNote({ error }: { error: LoupeErrorValue }) {
  return (
    <div className="error-note" role="alert">
      {error.file && <code className="file">{error.file}</code>}
      <span className="message">{error.message}</span>
      {error.column && <span className="muted"> (column {error.column})</span>}
      {error.hint && <div className="hint">{error.hint}</div>}
    </div>
  );
}
