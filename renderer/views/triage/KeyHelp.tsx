import { useEffect, useRef } from 'react';
import { OTHER_KEYS, ROOT_CAUSE_KEYS } from './keymap';

/** The `?` overlay: every key of the flow on one screen. */
export function KeyHelp({ onClose }: { onClose(): void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" onClick={onClose}>
      <div className="overlay-body" ref={ref} tabIndex={-1} onClick={(e) => e.stopPropagation()}>
        <h2>Keys</h2>
        <table>
          <tbody>
            {ROOT_CAUSE_KEYS.map((k) => (
              <tr key={k.key}><td><kbd>{k.key}</kbd></td><td>label: {k.label}</td></tr>
            ))}
            {OTHER_KEYS.map((k) => (
              <tr key={k.keys}><td><kbd>{k.keys}</kbd></td><td>{k.what}</td></tr>
            ))}
          </tbody>
        </table>
        <p className="muted">Esc or ? closes this.</p>
      </div>
    </div>
  );
}
