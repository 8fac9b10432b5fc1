import { tableFromIPC, type Table } from 'apache-arrow';
import {
  api,
  events,
  type CallInput,
  type CallName,
  type CallOutput,
  type Envelope,
  type EventName,
  type EventPayload,
  type LoupeClient,
} from '../../shared/api';
import type { LoupeBridge } from '../../shared/bridge';
import { LoupeError } from '../../shared/errors';

declare global {
  interface Window {
    loupeBridge?: LoupeBridge;
  }
}

/** Validates before sending, so a renderer bug shows as a clear error and never reaches the core. */
function validateInput<N extends CallName>(name: N, input: CallInput<N>): unknown {
  const parsed = api[name].input.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LoupeError({ code: 'bad_input', message: `invalid input for ${name}: ${issue.path.join('.')} ${issue.message}` });
  }
  return parsed.data;
}

function unwrap<T>(env: Envelope<T>): T {
  if (!env.ok) throw new LoupeError(env.error);
  return env.value;
}

function electronClient(bridge: LoupeBridge): LoupeClient {
  return {
    transport: 'electron',
    async call(name, input) {
      const env = await bridge.invoke(name, validateInput(name, input));
      return unwrap(env) as never;
    },
    on(name, listener) {
      return bridge.on(name, (payload) => {
        const parsed = events[name].safeParse(payload);
        if (parsed.success) listener(parsed.data as never);
      });
    },
  };
}

/** Browser mode: the token arrives in the URL once and is kept for this tab only. */
function browserToken(): string {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem('loupe-token', fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.toString());
    return fromUrl;
  }
  return sessionStorage.getItem('loupe-token') ?? '';
}

function browserClient(): LoupeClient {
  const token = browserToken();
  const listeners = new Map<EventName, Set<(p: unknown) => void>>();
  let socket: WebSocket | null = null;
  let retry = 0;

  const connect = () => {
    const proto = window.location.protocol === 'https:' ? 'wss' : 'ws';
    socket = new WebSocket(`${proto}://${window.location.host}/api/events?token=${encodeURIComponent(token)}`);
    socket.onopen = () => (retry = 0);
    socket.onmessage = (msg) => {
      const { event, payload } = JSON.parse(String(msg.data)) as { event: EventName; payload: unknown };
      const schema = events[event];
      if (!schema) return;
      const parsed = schema.safeParse(payload);
      if (parsed.success) listeners.get(event)?.forEach((l) => l(parsed.data));
    };
    socket.onclose = () => {
      // Reconnect with capped backoff; events are advisory (progress), calls are not affected.
      const delay = Math.min(10_000, 250 * 2 ** retry++);
      setTimeout(connect, delay);
    };
  };
  connect();

  return {
    transport: 'browser',
    async call(name, input) {
      const body = JSON.stringify(validateInput(name, input));
      let res: Response;
      try {
        res = await fetch(`/api/call/${name}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body,
        });
      } catch (err) {
        throw new LoupeError({ code: 'network', message: `Loupe's core is not reachable: ${(err as Error).message}`, hint: 'is `npm run web` still running?' });
      }
      if (res.ok && api[name].binary) return new Uint8Array(await res.arrayBuffer()) as never;
      const env = (await res.json()) as Envelope<CallOutput<typeof name>>;
      return unwrap(env) as never;
    },
    on(name, listener) {
      const set = listeners.get(name) ?? new Set();
      set.add(listener as (p: unknown) => void);
      listeners.set(name, set);
      return () => set.delete(listener as (p: unknown) => void);
    },
  };
}

export const client: LoupeClient = window.loupeBridge ? electronClient(window.loupeBridge) : browserClient();

export const bridge: LoupeBridge | undefined = window.loupeBridge;

/** Arrow IPC bytes from a binary call, decoded. */
export function decodeArrow(bytes: Uint8Array): Table {
  return tableFromIPC(bytes);
}

export type { EventPayload };
