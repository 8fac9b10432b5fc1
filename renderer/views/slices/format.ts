import type { AxisCell } from '../../../shared/drift-schemas';

export const fmtPsi = (c: AxisCell | undefined) => (c?.psi == null ? '–' : c.psi < 0.001 ? '<0.001' : c.psi.toFixed(3));
export const fmtP = (p: number | null | undefined) => (p == null ? '–' : p < 1e-4 ? '<1e-4' : p.toPrecision(2));
export const fmtJudge = (v: number | null | undefined) => (v == null ? '–' : v.toFixed(3));
export const fmtInt = (n: number) => n.toLocaleString('en-US');
export const fmtPct = (v: number | null | undefined) => (v == null ? '–' : `${(v * 100).toFixed(1)}%`);
/** "2026-11-08 00:00" from an ISO instant (UTC). */
export const fmtTime = (iso: string) => iso.replace('T', ' ').slice(0, 16);

/** The cell's class: its PSI level, dimmed when it fails the support or significance bar. */
export function cellClass(c: AxisCell | undefined): string {
  if (!c || c.psi == null) return 'psi';
  return `psi level-${c.level}${c.significant && c.meetsSupport ? '' : ' weak'}`;
}
