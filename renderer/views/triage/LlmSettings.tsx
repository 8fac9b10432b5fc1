import { useEffect, useState, type FormEvent } from 'react';
import { useJudge } from '../../store/judge-store';

/**
 * Where the analyst points Loupe at an OpenAI-compatible server. The key field is write-only:
 * the core keeps the key and only says whether one is saved.
 */
export function LlmSettings() {
  const { settings, saveSettings, toggleSettings } = useJudge();
  const [baseUrl, setBaseUrl] = useState(settings?.baseUrl ?? '');
  const [model, setModel] = useState(settings?.model ?? '');
  const [apiKey, setApiKey] = useState('');
  useEffect(() => {
    setBaseUrl(settings?.baseUrl ?? '');
    setModel(settings?.model ?? '');
  }, [settings?.baseUrl, settings?.model]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await saveSettings({ baseUrl: baseUrl.trim(), model: model.trim(), apiKey: apiKey || undefined })) setApiKey('');
  };

  return (
    <form className="llm-settings" aria-label="LLM settings" onSubmit={(e) => void submit(e)}>
      <p className="muted">
        Suggested labels come from any OpenAI-compatible server: OpenAI (https://api.openai.com/v1), a local Ollama
        (http://localhost:11434/v1) or vLLM. The key stays in Loupe's core ({settings?.storage ?? '…'}) and is never shown again.
      </p>
      {settings?.warning && <p className="note">{settings.warning}</p>}
      <div className="row wrap">
        <label htmlFor="llm-base-url">Base URL</label>
        <input id="llm-base-url" className="path-input" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} placeholder="https://api.openai.com/v1" spellCheck={false} />
        <label htmlFor="llm-model">Model</label>
        <input id="llm-model" value={model} onChange={(e) => setModel(e.target.value)} placeholder="gpt-4o-mini" spellCheck={false} />
        <label htmlFor="llm-key">API key</label>
        <input id="llm-key" type="password" autoComplete="off" value={apiKey} onChange={(e) => setApiKey(e.target.value)} placeholder={settings?.hasKey ? 'saved (type to replace)' : 'none saved'} />
        <button type="submit" disabled={!baseUrl.trim() || !model.trim()}>Save LLM settings</button>
        <button type="button" onClick={() => toggleSettings(false)}>Close</button>
      </div>
    </form>
  );
}
