import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type KeyboardEvent } from 'react';
import type { SliceRow, Sparklines } from '../../../shared/drift-schemas';
import { sliceName, useDrift } from '../../store/drift-store';
import { cellClass, fmtInt, fmtJudge, fmtPsi } from './format';
import { Sparkline } from './Sparkline';

const ROW = 28;
const AXES = ['input', 'output', 'quality'] as const;

/**
 * Every slice in a virtualised grid (only visible rows are in the DOM, so thousands scroll
 * smoothly). Keyboard: ↑/↓ or j/k move, Home/End jump, Enter opens the slice.
 */
export function SliceTable({ rows, sparklines }: { rows: SliceRow[]; sparklines: Sparklines | null }) {
  const cursor = useDrift((s) => s.cursor);
  const openId = useDrift((s) => s.openId);
  const moveCursor = useDrift((s) => s.moveCursor);
  const setCursor = useDrift((s) => s.setCursor);
  const openSlice = useDrift((s) => s.openSlice);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW, overscan: 12 });
  const cursorIndex = rows.findIndex((r) => r.id === cursor);

  useEffect(() => {
    if (cursorIndex >= 0) virtualizer.scrollToIndex(cursorIndex, { align: 'auto' });
  }, [cursorIndex, virtualizer]);

  const onKey = (e: KeyboardEvent) => {
    const step: Record<string, number> = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1, PageDown: 15, PageUp: -15, Home: -1e9, End: 1e9 };
    if (e.key in step) {
      e.preventDefault();
      moveCursor(step[e.key], rows);
    } else if (e.key === 'Enter' && cursor !== null) {
      e.preventDefault();
      void openSlice(cursor);
    }
  };

  return (
    <div className="slice-table" role="grid" aria-label="Slices" aria-rowcount={rows.length}>
      <div className="slice-head" role="row">
        <div className="sc name" role="columnheader">Slice</div>
        <div className="sc num" role="columnheader" title="rows in baseline / current">Support</div>
        {AXES.map((a) => (
          <div key={a} className="sc num" role="columnheader">PSI {a}</div>
        ))}
        <div className="sc num" role="columnheader" title="judge mean, baseline → current">Judge</div>
        <div className="sc spark" role="columnheader">Judge / day</div>
      </div>
      <div ref={scrollRef} className="slice-scroll" tabIndex={0} onKeyDown={onKey} aria-label="Slices: arrows or j/k to move, Enter to open" aria-activedescendant={cursor !== null && cursorIndex >= 0 ? `slice-row-${cursorIndex}` : undefined}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const s = rows[item.index];
            const name = sliceName(s);
            return (
              <div
                key={s.id}
                id={`slice-row-${item.index}`}
                role="row"
                aria-selected={s.id === cursor}
                className={`slice-row${s.id === cursor ? ' cursor' : ''}${s.id === openId ? ' open' : ''}`}
                style={{ transform: `translateY(${item.start}px)`, height: ROW }}
                onClick={() => {
                  setCursor(s.id);
                  void openSlice(s.id);
                }}
              >
                <div className="sc name" role="gridcell" title={name}>{name}</div>
                <div className="sc num" role="gridcell">{fmtInt(s.support.baseline)} / {fmtInt(s.support.current)}</div>
                {AXES.map((a) => (
                  <div key={a} className={`sc num ${cellClass(s.axes[a])}`} role="gridcell" title={s.axes[a] ? `${s.axes[a]!.feature}: p=${s.axes[a]!.pValue ?? '–'}${s.axes[a]!.significant ? ', significant' : ', not significant'}${s.axes[a]!.meetsSupport ? '' : ', below min support'}` : 'no data'}>
                    {fmtPsi(s.axes[a])}
                  </div>
                ))}
                <div className="sc num" role="gridcell">{fmtJudge(s.judge.baselineMean)} → {fmtJudge(s.judge.currentMean)}</div>
                <div className="sc spark" role="gridcell">
                  <Sparkline values={sparklines?.series[s.id]} label={name} />
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
