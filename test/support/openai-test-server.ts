import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local OpenAI-compatible server for tests: POST /v1/chat/completions on 127.0.0.1, port 0.
 * Each request takes the next scripted step (the last step repeats), so a test can say
 * "429 with Retry-After, then success" and drive the real `openai` SDK through it.
 */
export type Step =
  /** 200 with this message content (a string, or an object sent as JSON text). */
  | { kind: 'content'; content: string | object; usage?: { prompt_tokens: number; completion_tokens: number }; delayMs?: number }
  /** Any status with an OpenAI-style error body and optional Retry-After (seconds). */
  | { kind: 'status'; status: number; message?: string; retryAfter?: string }
  /** Never answers (until the client gives up): for timeouts. */
  | { kind: 'hang' }
  /** 400 when the request asks for response_format, else the next step: a server without structured output. */
  | { kind: 'no-structured'; then: Step };

export interface RecordedRequest {
  body: {
    model: string;
    messages: Array<{ role: string; content: string }>;
    response_format?: { type: string; json_schema?: unknown };
  };
  authorization: string | undefined;
}

export interface OpenAITestServer {
  /** Base URL as an OpenAI client takes it: http://127.0.0.1:PORT/v1 */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Most requests in flight at once: what a concurrency limit should bound. */
  maxInFlight: number;
  /** Replaces the script; a function gets each request and chooses its step. */
  script(steps: Step[] | ((req: RecordedRequest, n: number) => Step)): void;
  close(): Promise<void>;
}

export async function startOpenAITestServer(steps: Step[] = [{ kind: 'content', content: {} }]): Promise<OpenAITestServer> {
  let chooser: (req: RecordedRequest, n: number) => Step = fromList(steps);
  const requests: RecordedRequest[] = [];
  const hanging = new Set<http.ServerResponse>();
  let inFlight = 0;
  const state = { maxInFlight: 0 };

  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        return send(res, 404, { error: { message: `no route ${req.method} ${req.url}`, type: 'not_found' } });
      }
      const rec: RecordedRequest = { body: JSON.parse(raw), authorization: req.headers.authorization };
      requests.push(rec);
      inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, inFlight);
      res.on('close', () => inFlight--);
      answer(res, rec, chooser(rec, requests.length - 1));
    });
  });

  function answer(res: http.ServerResponse, rec: RecordedRequest, step: Step): void {
    switch (step.kind) {
      case 'hang':
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      case 'no-structured':
        if (rec.body.response_format && rec.body.response_format.type !== 'text') {
          return send(res, 400, { error: { message: "response_format 'json_schema' is not supported by this server", type: 'invalid_request_error', param: 'response_format' } });
        }
        return answer(res, rec, step.then);
      case 'status':
        return send(
          res,
          step.status,
          { error: { message: step.message ?? `scripted ${step.status}`, type: 'server_error' } },
          step.retryAfter != null ? { 'Retry-After': step.retryAfter } : {},
        );
      case 'content': {
        if (step.delayMs) {
          const t = setTimeout(() => answer(res, rec, { ...step, delayMs: 0 }), step.delayMs);
          res.on('close', () => clearTimeout(t));
          return;
        }
        const usage = step.usage ?? { prompt_tokens: 120, completion_tokens: 30 };
        return send(res, 200, {
          id: `chatcmpl-${requests.length}`,
          object: 'chat.completion',
          created: 1_700_000_000,
          model: rec.body.model,
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: typeof step.content === 'string' ? step.content : JSON.stringify(step.content) },
              finish_reason: 'stop',
            },
          ],
          usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
        });
      }
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    get maxInFlight() {
      return state.maxInFlight;
    },
    script(s) {
      chooser = typeof s === 'function' ? s : fromList(s);
    },
    close() {
      for (const r of hanging) r.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function fromList(steps: Step[]): (req: RecordedRequest, n: number) => Step {
  let i = 0;
  return () => steps[Math.min(i++, steps.length - 1)];
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
