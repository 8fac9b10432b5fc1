import { useVirtualizer } from '@tanstack/react-virtual';
import { useLayoutEffect, useMemo, useRef } from 'react';
import type { LiveRow } from '../../../shared/live';
import { useLive } from '../../store/live-store';
import { useRequestDrawer } from '../../store/request-store';

const ROW_HEIGHT = 26;
const COLUMNS: Array<{ key: keyof LiveRow; label: string; width: number }> = [
  { key: 'ts', label: 'time', width: 200 },
  { key: 'deployment', label: 'deployment', width: 110 },
  { key: 'model_version', label: 'version', width: 80 },
  { key: 'route', label: 'route', width: 90 },
  { key: 'locale', label: 'locale', width: 60 },
  { key: 'status', label: 'status', width: 60 },
  { key: 'latency_ms', label: 'latency ms', width: 90 },
  { key: 'judge_score', label: 'judge', width: 60 },
  { key: 'prompt', label: 'prompt', width: 420 },
];

/**
 * The newest requests, virtualised (only visible rows are in the DOM), filtered by one slice
 * value. Logged text is rendered as text nodes only. Enter or a click opens the drawer.
 */
export function LiveTable() {
  const rows = useLive((s) => s.rows);
  const filter = useLive((s) => s.filter);
  const openRequest = useRequestDrawer((s) => s.open);
  const shown = useMemo(() => (filter ? rows.filter((r) => r[filter.dim] === filter.value) : rows), [rows, filter]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: shown.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  // New rows arrive on top. At the top the analyst sees them come in; scrolled down, or with a
  // row focused, the rows in view stay where they are, as in a log viewer.
  const firstId = useRef<string | null>(null);
  const lastFilter = useRef(filter);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    // After a filter change the old first row is somewhere else in a different list: no anchor.
    const before = lastFilter.current === filter ? firstId.current : null;
    lastFilter.current = filter;
    firstId.current = shown[0]?.request_id ?? null;
    // A focused row is held in place even at the top: it would otherwise be pushed out of the
    // rendered range and lose the keyboard focus.
    const focused = el && document.activeElement !== el && el.contains(document.activeElement);
    if (!el || !before || (el.scrollTop === 0 && !focused)) return;
    const added = shown.findIndex((r) => r.request_id === before);
    if (added > 0) el.scrollTop += added * ROW_HEIGHT;
  }, [shown, filter]);
  const width = COLUMNS.reduce((s, c) => s + c.width, 0);
  return (
    <div className="live-table" role="table" aria-label="Newest requests" aria-rowcount={shown.length}>
      <div className="live-row live-head" role="row" style={{ width }}>
        {COLUMNS.map((c) => (
          <span key={c.key} role="columnheader" style={{ width: c.width }}>{c.label}</span>
        ))}
      </div>
      <div ref={scrollRef} style={{ height: 360, overflow: 'auto' }}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative', width }}>
          {virtualizer.getVirtualItems().map((item) => {
            const r = shown[item.index];
            return (
              <div
                key={r.request_id}
                role="row"
                data-request-id={r.request_id}
                tabIndex={0}
                className={`live-row${r.status === 'error' ? ' live-error' : ''}`}
                style={{ position: 'absolute', top: item.start, height: ROW_HEIGHT, width }}
                onClick={() => void openRequest(r.request_id)}
                onKeyDown={(e) => e.key === 'Enter' && void openRequest(r.request_id)}
              >
                {COLUMNS.map((c) => (
                  <span key={c.key} role="cell" style={{ width: c.width }}>{r[c.key] == null ? '—' : String(r[c.key])}</span>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
