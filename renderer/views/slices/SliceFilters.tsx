import { forwardRef } from 'react';
import type { DriftReportView } from '../../../shared/drift-schemas';
import { useDrift, type SortKey } from '../../store/drift-store';

/** Which slices the table shows and in what order; filtering happens on what the core sent. */
export const SliceFilters = forwardRef<HTMLInputElement, { report: DriftReportView }>(function SliceFilters({ report }, searchRef) {
  const filter = useDrift((s) => s.filter);
  const setFilter = useDrift((s) => s.setFilter);
  return (
    <div className="row wrap slice-filters" role="search">
      <input ref={searchRef} aria-label="Find a slice" placeholder="find a slice  ( / )" value={filter.text} onChange={(e) => setFilter({ text: e.target.value })} />
      <select aria-label="Axis" value={filter.axis} onChange={(e) => setFilter({ axis: e.target.value as typeof filter.axis })}>
        <option value="any">any axis</option>
        <option value="input">input</option>
        <option value="output">output</option>
        <option value="quality">quality</option>
      </select>
      <select aria-label="Dimension" value={filter.dimension} onChange={(e) => setFilter({ dimension: e.target.value })}>
        <option value="">any dimension</option>
        {report.config.dimensions.map((d) => (
          <option key={d} value={d}>{d}</option>
        ))}
      </select>
      <select aria-label="Sort by" value={filter.sort} onChange={(e) => setFilter({ sort: e.target.value as SortKey })}>
        <option value="score">sort: drift score</option>
        <option value="input">sort: PSI input</option>
        <option value="output">sort: PSI output</option>
        <option value="quality">sort: PSI quality</option>
        <option value="judgeDelta">sort: judge drop</option>
        <option value="support">sort: support</option>
      </select>
      <label>
        <input type="checkbox" checked={filter.hideSmall} onChange={(e) => setFilter({ hideSmall: e.target.checked })} /> hide below min support
      </label>
      <label title="a pair holding exactly the requests of one of its two slices adds nothing">
        <input type="checkbox" checked={filter.hideSamePairs} onChange={(e) => setFilter({ hideSamePairs: e.target.checked })} /> hide pairs equal to a slice
      </label>
      <label>
        <input type="checkbox" checked={filter.onlySignificant} onChange={(e) => setFilter({ onlySignificant: e.target.checked })} /> significant only
      </label>
    </div>
  );
});
