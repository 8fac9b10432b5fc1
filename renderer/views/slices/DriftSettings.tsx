import { useEffect, useState } from 'react';
import type { DriftReportView } from '../../../shared/drift-schemas';
import { useDrift } from '../../store/drift-store';
import { fmtTime } from './format';

/** "2026-11-08 00:00" (UTC) → ISO, or null when it is not a time. */
function parseTime(text: string): string | null {
  const m = /^\s*(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2}))?\s*$/.exec(text);
  if (!m) return null;
  const d = new Date(`${m[1]}T${m[2] ?? '00'}:${m[3] ?? '00'}:00Z`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** Windows, minimum support and binning: what the engine computes with. Enter applies. */
export function DriftSettings({ report }: { report: DriftReportView }) {
  const load = useDrift((s) => s.load);
  const w = report.windows;
  const [text, setText] = useState({ bs: fmtTime(w.baseline.start), be: fmtTime(w.baseline.end), cs: fmtTime(w.current.start), ce: fmtTime(w.current.end) });
  const [minSupport, setMinSupport] = useState(String(report.config.minSupport));
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    setText({ bs: fmtTime(w.baseline.start), be: fmtTime(w.baseline.end), cs: fmtTime(w.current.start), ce: fmtTime(w.current.end) });
    setMinSupport(String(report.config.minSupport));
  }, [w.baseline.start, w.baseline.end, w.current.start, w.current.end, report.config.minSupport]);

  const apply = () => {
    const [bs, be, cs, ce] = [text.bs, text.be, text.cs, text.ce].map(parseTime);
    if (!bs || !be || !cs || !ce) return setProblem('Times are UTC, written 2026-11-08 00:00.');
    if (bs >= be || cs >= ce) return setProblem('Each window must end after it starts.');
    const support = Number(minSupport);
    if (!Number.isInteger(support) || support < 1) return setProblem('Minimum support is a whole number of requests, 1 or more.');
    setProblem(null);
    void load({ baseline: { start: bs, end: be }, current: { start: cs, end: ce }, minSupport: support });
  };
  const field = (key: keyof typeof text, label: string) => (
    <input aria-label={label} className="time-input" value={text[key]} onChange={(e) => setText({ ...text, [key]: e.target.value })} />
  );
  return (
    <form
      className="drift-settings row wrap"
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
    >
      <span className="muted">Baseline</span>
      {field('bs', 'Baseline start')} – {field('be', 'Baseline end')}
      <span className="muted">Current</span>
      {field('cs', 'Current start')} – {field('ce', 'Current end')}
      <label className="muted">
        Min support <input aria-label="Minimum support" className="num-input" value={minSupport} onChange={(e) => setMinSupport(e.target.value)} />
      </label>
      <label className="muted">
        Binning{' '}
        <select aria-label="Binning" value={report.config.binning} onChange={(e) => void load({ binning: e.target.value as DriftReportView['config']['binning'] })}>
          <option value="quantile">quantile (baseline)</option>
          <option value="equal-width">equal-width (numpy)</option>
          <option value="evidently">Evidently-compatible</option>
        </select>
      </label>
      <button type="submit">Apply</button>
      {problem && <span className="error-text" role="alert">{problem}</span>}
    </form>
  );
}
