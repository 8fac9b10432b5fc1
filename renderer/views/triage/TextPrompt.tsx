import { useEffect, useRef, useState } from 'react';

/** A one-field prompt used by the note and promote keys: Enter submits, Esc cancels. */
export function TextPrompt(props: { label: string; initial: string; placeholder?: string; onSubmit(v: string): void; onCancel(): void }) {
  const [value, setValue] = useState(props.initial);
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div className="text-prompt">
      <label htmlFor="triage-text" className="muted">{props.label}</label>
      <textarea
        id="triage-text"
        ref={ref}
        rows={2}
        value={value}
        placeholder={props.placeholder}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey) {
            e.preventDefault();
            if (value.trim()) props.onSubmit(value.trim());
          } else if (e.key === 'Escape') {
            e.preventDefault();
            props.onCancel();
          }
        }}
      />
    </div>
  );
}
