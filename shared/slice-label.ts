import type { SliceDimView } from './drift-schemas';

/** A slice as people read it and as the triage queue stores it: "route=search × locale=de". */
export function sliceLabel(dims: readonly SliceDimView[]): string {
  return dims.length ? dims.map((d) => `${d.dimension}=${d.value ?? '(null)'}`).join(' × ') : 'all requests';
}
