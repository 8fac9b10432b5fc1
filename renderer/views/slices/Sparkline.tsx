/** A judge-mean sparkline: one point per day, gaps where a day had no judged request. */
export function Sparkline({ values, label }: { values: Array<number | null> | undefined; label: string }) {
  if (!values || values.every((v) => v === null)) return <span className="muted">–</span>;
  const w = 72;
  const h = 16;
  const present = values.filter((v): v is number => v !== null);
  const lo = Math.min(...present);
  const hi = Math.max(...present);
  const y = (v: number) => (hi === lo ? h / 2 : h - 1 - ((v - lo) / (hi - lo)) * (h - 2));
  const x = (i: number) => (values.length === 1 ? w / 2 : (i / (values.length - 1)) * (w - 2) + 1);
  const segments: string[] = [];
  let current = '';
  values.forEach((v, i) => {
    if (v === null) {
      if (current) segments.push(current);
      current = '';
    } else current += `${current ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
  });
  if (current) segments.push(current);
  const last = values.length - 1;
  return (
    <svg className="sparkline" width={w} height={h} role="img" aria-label={`${label}: judge mean per day, ${present.map((v) => v.toFixed(2)).join(', ')}`}>
      {segments.map((d, i) => (
        <path key={i} d={d} fill="none" stroke="currentColor" strokeWidth={1.2} />
      ))}
      {values[last] !== null && <circle cx={x(last)} cy={y(values[last]!)} r={1.8} fill="currentColor" />}
    </svg>
  );
}
