import type { ViewId } from '../store/nav-store';
import { useNav } from '../store/nav-store';

type Planned = Exclude<ViewId, 'data' | 'triage'>;

const plans: Record<Planned, { title: string; what: string }> = {
  overview: {
    title: 'Overview',
    what: 'Per version: requests, judged requests, judge mean with its interval, error, refusal and format-ok rates, latency, and the alert list.',
  },
  slices: { title: 'Slices', what: 'Every slice and slice pair ranked by PSI on the input, output and quality axes.' },
  live: { title: 'Live', what: 'The service tail streaming in, with judge means and drift moving as requests arrive.' },
  deployments: { title: 'Deployments', what: 'Versions, traffic, evidence, rollback and override, and the audit trail.' },
};

/** A view that needs a capability not in this build yet: says what it will hold and where to go now. */
export function PlannedView({ view }: { view: Planned }) {
  const go = useNav((s) => s.go);
  const plan = plans[view];
  return (
    <div className="view">
      <h1>{plan.title}</h1>
      <p className="muted">{plan.what}</p>
      <p>
        Not in this build yet. <button className="link" onClick={() => go('data')}>Open data</button> to look at an export.
      </p>
    </div>
  );
}
