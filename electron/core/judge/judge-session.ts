import type { DuckDBConnection } from '@duckdb/node-api';
import type { z } from 'zod';
import { LoupeError } from '../../../shared/errors';
import type { llmSettingsInputSchema, RejudgeOutput, rejudgeInputSchema, SuggestionResult } from '../../../shared/judge-api';
import type { RetryOptions } from '../exports/retry';
import type { SecretStore } from '../secrets/secret-store';
import { caseItem, sliceSample } from '../triage/rejudge-sample';
import type { TriageService } from '../triage/triage-service';
import { readSetting, writeSetting } from '../workspace/state-db';
import type { WorkspaceSession } from '../workspace/workspace-session';
import type { StructuredMemo } from './chat-json';
import { Limiter } from './limiter';
import { llmSettings, resolveLlm } from './llm-settings';
import { DEFAULT_RUBRIC, rejudge } from './rejudge';
import { SuggestionService } from './suggestions';

/**
 * The LLM side of triage on the open workspace: settings (the key stays here), suggestions
 * with prefetch, and re-judging. Everything else in triage works without it.
 */
export class JudgeSession {
  private readonly limiter = new Limiter(2);
  private readonly memo: StructuredMemo = new Set();
  private readonly suggestions: SuggestionService;
  private openedFor: object | null = null;

  constructor(
    private readonly conn: DuckDBConnection,
    private readonly workspace: WorkspaceSession,
    private readonly triage: TriageService,
    private readonly secrets: SecretStore,
    private readonly retry?: Pick<RetryOptions, 'onRetry' | 'random' | 'baseMs' | 'maxMs'>,
  ) {
    this.suggestions = new SuggestionService(
      {
        config: () => resolveLlm(this.conn, this.secrets),
        fields: async (caseId) => (await this.triage.caseDetail(caseId)).fields,
        retry,
      },
      this.limiter,
      this.memo,
    );
  }

  async settings(input: z.output<typeof llmSettingsInputSchema>) {
    this.requireWorkspace();
    if (input.set) {
      // A new server or model: earlier answers (and errors) no longer apply.
      this.suggestions.reset();
      this.memo.clear();
    }
    return llmSettings(this.conn, this.secrets, input);
  }

  async suggest(caseId: string, prefetch: string[], retry: boolean): Promise<SuggestionResult> {
    this.requireWorkspace();
    return this.suggestions.suggest(caseId, prefetch, retry);
  }

  async rejudge(input: z.output<typeof rejudgeInputSchema>): Promise<RejudgeOutput> {
    const ws = this.requireWorkspace();
    const cfg = await resolveLlm(this.conn, this.secrets);
    this.limiter.setLimit(cfg.concurrency);
    if (input.rubric) await writeSetting(this.conn, 'judge_rubric', input.rubric);
    const rubric = input.rubric ?? (await readSetting<string>(this.conn, 'judge_rubric')) ?? DEFAULT_RUBRIC;
    const roles = ws.current.roles?.mapping ?? null;
    let items;
    if (input.caseId) {
      const detail = await this.triage.caseDetail(input.caseId);
      items = [caseItem(detail.case.request_id, detail.fields)];
    } else {
      if (!ws.current.dataset) throw new LoupeError({ code: 'not_found', message: 'the workspace has no requests yet', hint: 'sync or copy exports into it first' });
      const columns = new Set(ws.current.dataset.summary.columns.map((c) => c.name));
      items = await sliceSample(this.conn, roles, { slice: input.slice, modelVersion: input.modelVersion, n: input.n, columns });
    }
    return rejudge(cfg, items, rubric, this.limiter, this.memo, this.retry);
  }

  private requireWorkspace() {
    const ws = this.workspace.workspace;
    if (!ws) throw new LoupeError({ code: 'not_found', message: 'no workspace is open', hint: 'LLM settings are saved in the workspace: open one first' });
    // Suggestions belong to one workspace's cases.
    if (this.openedFor !== ws) {
      this.suggestions.reset();
      this.openedFor = ws;
    }
    return ws;
  }
}
