import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { Table } from 'apache-arrow';
import type { ColumnStats } from '../../../shared/api';
import { ROW_PAGE, useData } from '../../store/data-store';

const ROW_HEIGHT = 26;
const COL_WIDTH = 170;

/**
 * The first rows, virtualised: only the visible rows are in the DOM and pages of 200 rows are
 * fetched as Arrow when scrolled into view, so a 10M-row dataset scrolls like a 100-row one.
 */
export function RowsTable({ columns, rows }: { columns: ColumnStats[]; rows: number }) {
  const pages = useData((s) => s.pages);
  const loadPage = useData((s) => s.loadPage);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  useEffect(() => {
    for (let p = Math.floor(first / ROW_PAGE); p <= Math.floor(last / ROW_PAGE); p++) void loadPage(p);
  }, [first, last, loadPage]);

  const width = 64 + columns.length * COL_WIDTH;
  return (
    <div className="rows-table" role="grid" aria-label="Rows" aria-rowcount={rows}>
      <div className="rows-header" style={{ width }} role="row">
        <div className="cell idx">#</div>
        {columns.map((c) => (
          <div key={c.name} className="cell" style={{ width: COL_WIDTH }} role="columnheader" title={c.type}>
            {c.name}
          </div>
        ))}
      </div>
      <div ref={scrollRef} className="rows-scroll" tabIndex={0} aria-label="Rows, scroll with arrow keys">
        <div style={{ height: virtualizer.getTotalSize(), width, position: 'relative' }}>
          {items.map((item) => {
            const page = pages[Math.floor(item.index / ROW_PAGE)];
            return (
              <div
                key={item.key}
                className="rows-row"
                role="row"
                aria-rowindex={item.index + 1}
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
              >
                <div className="cell idx">{item.index + 1}</div>
                {columns.map((c, ci) => (
                  <div key={c.name} className="cell" style={{ width: COL_WIDTH }} role="gridcell">
                    {cellText(page, item.index % ROW_PAGE, ci, c)}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

function cellText(page: Table | 'loading' | object | undefined, row: number, col: number, column: ColumnStats): string {
  if (!page || page === 'loading') return '…';
  if (!('getChildAt' in page)) return '⚠';
  const v = (page as Table).getChildAt(col)?.get(row);
  if (v == null) return '∅';
  if (column.kind === 'temporal' && typeof v === 'number') return new Date(v).toISOString().replace('T', ' ').replace('.000Z', '');
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toPrecision(6).replace(/\.?0+$/, '');
  const s = String(v);
  return s.length > 300 ? s.slice(0, 300) + '…' : s;
}
