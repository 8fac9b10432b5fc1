import { create } from 'zustand';

export const views = [
  { id: 'overview', label: 'Overview', key: '1' },
  { id: 'slices', label: 'Slices', key: '2' },
  { id: 'live', label: 'Live', key: '3' },
  { id: 'triage', label: 'Triage', key: '4' },
  { id: 'deployments', label: 'Deployments', key: '5' },
  { id: 'data', label: 'Data', key: '6' },
] as const;
export type ViewId = (typeof views)[number]['id'];

function fromHash(): ViewId {
  const id = window.location.hash.replace(/^#\/?/, '');
  return (views.find((v) => v.id === id)?.id ?? 'data') as ViewId;
}

interface NavState {
  view: ViewId;
  go(view: ViewId): void;
}

/** The current view, mirrored in the URL hash so reloads and back/forward keep it. */
export const useNav = create<NavState>((set) => ({
  view: fromHash(),
  go(view) {
    if (window.location.hash !== `#/${view}`) window.location.hash = `#/${view}`;
    set({ view });
  },
}));

window.addEventListener('hashchange', () => useNav.setState({ view: fromHash() }));
