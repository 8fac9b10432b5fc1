import type { DriftAxis, DriftReportView, SliceRow } from '../../shared/drift-schemas';
import { sliceLabel } from '../../shared/slice-label';

/** Which slices the Slices table shows, and in what order: pure, so it is tested without a page. */

export type SortKey = 'score' | 'input' | 'output' | 'quality' | 'support' | 'judgeDelta';

export interface SliceFilter {
  axis: DriftAxis | 'any';
  /** Only slices over this dimension ('' = any). */
  dimension: string;
  text: string;
  /** Hide slices below the minimum support in either window. */
  hideSmall: boolean;
  /** Hide a pair that holds exactly the requests of one of its two slices (route=sql × deployment=assistant). */
  hideSamePairs: boolean;
  onlySignificant: boolean;
  sort: SortKey;
}

export const defaultFilter: SliceFilter = { axis: 'any', dimension: '', text: '', hideSmall: true, hideSamePairs: true, onlySignificant: false, sort: 'score' };

export function sliceName(s: Pick<SliceRow, 'dims'>): string {
  return sliceLabel(s.dims);
}

const axisPsi = (s: SliceRow, axis: DriftAxis) => s.axes[axis]?.psi ?? -1;

/** The rows the Slices table shows: filtered and sorted (a few thousand rows: done here, per render). */
export function visibleSlices(report: DriftReportView | null, f: SliceFilter): SliceRow[] {
  if (!report) return [];
  const min = report.config.minSupport;
  const text = f.text.trim().toLowerCase();
  const single = new Map(report.slices.filter((s) => s.dims.length === 1).map((s) => [s.id, s.support]));
  const sameAsParent = (s: SliceRow) =>
    s.dims.length === 2 &&
    s.id.split('&').some((p) => {
      const parent = single.get(p);
      return parent !== undefined && parent.baseline === s.support.baseline && parent.current === s.support.current;
    });
  const rows = report.slices.filter((s) => {
    if (f.hideSamePairs && sameAsParent(s)) return false;
    if (f.dimension && !s.dims.some((d) => d.dimension === f.dimension)) return false;
    if (f.hideSmall && Math.min(s.support.baseline, s.support.current) < min) return false;
    if (f.axis !== 'any' && !s.axes[f.axis]) return false;
    if (f.onlySignificant) {
      const cells = f.axis === 'any' ? Object.values(s.axes) : [s.axes[f.axis]];
      if (!cells.some((c) => c?.significant && c.meetsSupport)) return false;
    }
    return !text || sliceName(s).toLowerCase().includes(text);
  });
  const key: (s: SliceRow) => number =
    f.sort === 'support'
      ? (s) => Math.min(s.support.baseline, s.support.current)
      : f.sort === 'judgeDelta'
        ? (s) => (s.judge.baselineMean !== null && s.judge.currentMean !== null ? s.judge.baselineMean - s.judge.currentMean : -Infinity)
        : f.sort === 'score'
          ? (s) => (f.axis === 'any' ? s.score : (s.axes[f.axis]?.score ?? -1))
          : (s) => axisPsi(s, f.sort as DriftAxis);
  return rows.sort((a, b) => key(b) - key(a));
}

