import { useEffect, useRef } from 'react';
import { ErrorNote } from '../../app/ErrorNote';
import { useRequestDrawer } from '../../store/request-store';
import { RequestFields } from './RequestFields';

/** A side drawer with one request in full; Escape or the close button returns to the table. */
export function RequestDrawer() {
  const { requestId, fields, error, close } = useRequestDrawer();
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    if (requestId === null) return;
    ref.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        close();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [requestId, close]);
  if (requestId === null) return null;
  return (
    <aside ref={ref} className="drawer" role="dialog" aria-label={`Request ${requestId}`} tabIndex={-1}>
      <div className="row">
        <h2 className="grow">Request {requestId}</h2>
        <button onClick={close} aria-label="Close the request">
          Close <kbd>Esc</kbd>
        </button>
      </div>
      {error && <ErrorNote error={error} />}
      {!fields && !error && <p className="muted">Loading…</p>}
      {fields && <RequestFields fields={fields} />}
    </aside>
  );
}
