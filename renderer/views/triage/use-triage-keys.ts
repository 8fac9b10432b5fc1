import { useEffect } from 'react';
import { useTriage } from '../../store/triage-store';
import { ROOT_CAUSE_KEYS } from './keymap';

/**
 * The single-key flow. Keys are ignored while typing in a field, so a note can contain "1".
 * `onAccept` applies the suggestion when there is one.
 */
export function useTriageKeys(onAccept: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)) return;
      if (e.altKey || e.metaKey) return;
      const s = useTriage.getState();
      if ((e.ctrlKey && e.key.toLowerCase() === 'z') || (!e.ctrlKey && e.key === 'u')) {
        e.preventDefault();
        void s.undo();
        return;
      }
      if (e.ctrlKey) return;
      const cause = ROOT_CAUSE_KEYS.find((k) => k.key === e.key);
      if (cause) {
        e.preventDefault();
        void s.label(cause.cause);
        return;
      }
      const actions: Record<string, () => void> = {
        Enter: onAccept,
        a: onAccept,
        n: () => s.setMode('note'),
        p: () => s.setMode('promote'),
        d: () => void s.act('dismiss'),
        j: () => s.go(1),
        ArrowDown: () => s.go(1),
        k: () => s.go(-1),
        ArrowUp: () => s.go(-1),
        t: () => s.toggleAutoAdvance(),
        '?': () => s.toggleHelp(),
        Escape: () => (s.showHelp ? s.toggleHelp() : s.setMode('keys')),
      };
      const run = actions[e.key];
      if (run) {
        e.preventDefault();
        run();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onAccept]);
}
