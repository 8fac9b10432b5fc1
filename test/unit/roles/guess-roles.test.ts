import { describe, expect, it } from 'vitest';
import { guessRoles, structFields } from '../../../electron/core/workspace/guess-roles';

const schemaV1 = [
  ['request_id', 'VARCHAR'], ['ts', 'TIMESTAMP WITH TIME ZONE'], ['deployment', 'VARCHAR'], ['model_version', 'VARCHAR'],
  ['prompt_revision', 'VARCHAR'], ['route', 'VARCHAR'], ['locale', 'VARCHAR'], ['tenant_tier', 'VARCHAR'], ['session_id', 'VARCHAR'],
  ['trace_id', 'VARCHAR'], ['prompt', 'VARCHAR'], ['retrieval', 'VARCHAR'], ['tool_calls', 'VARCHAR'], ['response', 'VARCHAR'],
  ['latency_ms', 'INTEGER'], ['input_tokens', 'INTEGER'], ['output_tokens', 'INTEGER'], ['status', 'VARCHAR'], ['error_code', 'VARCHAR'],
  ['refused', 'BOOLEAN'], ['output_format', 'VARCHAR'], ['format_ok', 'BOOLEAN'], ['feedback', 'VARCHAR'], ['judge_score', 'DOUBLE'],
  ['judge_rationale', 'VARCHAR'], ['input_embedding', 'FLOAT[]'],
] as const;
const distinct: Record<string, number> = { deployment: 2, model_version: 3, prompt_revision: 4, route: 5, locale: 6, tenant_tier: 3, status: 2, output_format: 2, feedback: 4 };

describe('guessRoles', () => {
  it('maps every role of log schema v1 and suggests its slice columns', () => {
    const { mapping } = guessRoles(schemaV1.map(([name, type]) => ({ name, type, distinct: distinct[name] ?? 90_000, rows: 100_000 })));
    const col = Object.fromEntries(Object.entries(mapping.roles).map(([k, v]) => [k, v!.column]));
    expect(col).toEqual({
      timestamp: 'ts', request_id: 'request_id', deployment: 'deployment', model_version: 'model_version',
      prompt_revision: 'prompt_revision', judge_score: 'judge_score', judge_rationale: 'judge_rationale', feedback: 'feedback',
      refused: 'refused', format_ok: 'format_ok', output_format: 'output_format', output_text: 'response', input_text: 'prompt',
      latency: 'latency_ms', input_tokens: 'input_tokens', output_tokens: 'output_tokens', input_embedding: 'input_embedding',
      error: 'error_code', status: 'status', retrieval: 'retrieval', tool_calls: 'tool_calls',
    });
    expect(mapping.dimensions.map((d) => d.column).sort()).toEqual(['deployment', 'locale', 'model_version', 'prompt_revision', 'route', 'tenant_tier']);
  });

  it('maps OpenInference span columns as Phoenix exports them', () => {
    const { mapping } = guessRoles([
      { name: 'context.span_id', type: 'VARCHAR' },
      { name: 'context.trace_id', type: 'VARCHAR' },
      { name: 'start_time', type: 'TIMESTAMP WITH TIME ZONE' },
      { name: 'end_time', type: 'TIMESTAMP WITH TIME ZONE' },
      { name: 'status_code', type: 'VARCHAR' },
      { name: 'attributes.llm.model_name', type: 'VARCHAR', distinct: 2, rows: 500 },
      { name: 'attributes.llm.token_count.prompt', type: 'BIGINT' },
      { name: 'attributes.llm.token_count.completion', type: 'BIGINT' },
      { name: 'attributes.input.value', type: 'VARCHAR' },
      { name: 'attributes.output.value', type: 'VARCHAR' },
      { name: 'attributes.embedding.embeddings', type: 'DOUBLE[]' },
    ]);
    expect(mapping.roles).toMatchObject({
      timestamp: { column: 'start_time' },
      request_id: { column: 'context.span_id' },
      model_version: { column: 'attributes.llm.model_name' },
      input_tokens: { column: 'attributes.llm.token_count.prompt' },
      output_tokens: { column: 'attributes.llm.token_count.completion' },
      input_text: { column: 'attributes.input.value' },
      output_text: { column: 'attributes.output.value' },
      input_embedding: { column: 'attributes.embedding.embeddings' },
      status: { column: 'status_code' },
    });
    expect(mapping.dimensions).toEqual([{ column: 'attributes.llm.model_name' }]);
  });

  it('maps OTel GenAI attributes, current and deprecated token names', () => {
    const current = guessRoles([
      { name: 'startTimeUnixNano', type: 'BIGINT' },
      { name: 'gen_ai.request.model', type: 'VARCHAR' },
      { name: 'gen_ai.usage.input_tokens', type: 'INTEGER' },
      { name: 'gen_ai.usage.output_tokens', type: 'INTEGER' },
      { name: 'gen_ai.input.messages', type: 'VARCHAR' },
      { name: 'gen_ai.output.messages', type: 'VARCHAR' },
      { name: 'error.type', type: 'VARCHAR' },
    ]).mapping.roles;
    expect(current).toMatchObject({
      timestamp: { column: 'startTimeUnixNano' },
      model_version: { column: 'gen_ai.request.model' },
      input_tokens: { column: 'gen_ai.usage.input_tokens' },
      output_tokens: { column: 'gen_ai.usage.output_tokens' },
      input_text: { column: 'gen_ai.input.messages' },
      output_text: { column: 'gen_ai.output.messages' },
      error: { column: 'error.type' },
    });
    const deprecated = guessRoles([
      { name: 'gen_ai.usage.prompt_tokens', type: 'INTEGER' },
      { name: 'gen_ai.usage.completion_tokens', type: 'INTEGER' },
      { name: 'gen_ai.prompt', type: 'VARCHAR' },
      { name: 'gen_ai.completion', type: 'VARCHAR' },
    ]).mapping.roles;
    expect(deprecated).toMatchObject({
      input_tokens: { column: 'gen_ai.usage.prompt_tokens' },
      output_tokens: { column: 'gen_ai.usage.completion_tokens' },
      input_text: { column: 'gen_ai.prompt' },
      output_text: { column: 'gen_ai.completion' },
    });
  });

  it('maps fields inside a STRUCT column by path', () => {
    const { mapping } = guessRoles([
      { name: 'start_time', type: 'TIMESTAMP' },
      {
        name: 'attributes',
        type: 'STRUCT(llm STRUCT(model_name VARCHAR, token_count STRUCT(prompt BIGINT, completion BIGINT)), "input" STRUCT("value" VARCHAR))',
      },
    ]);
    expect(mapping.roles.model_version).toEqual({ column: 'attributes', path: ['llm', 'model_name'] });
    expect(mapping.roles.input_tokens).toEqual({ column: 'attributes', path: ['llm', 'token_count', 'prompt'] });
    expect(mapping.roles.input_text).toEqual({ column: 'attributes', path: ['input', 'value'] });
  });

  it('does not map a role to a column of the wrong type', () => {
    const { mapping } = guessRoles([
      { name: 'judge_score', type: 'VARCHAR' },
      { name: 'embedding', type: 'VARCHAR[]' },
      { name: 'refused', type: 'VARCHAR' },
    ]);
    expect(mapping.roles.judge_score).toBeUndefined();
    expect(mapping.roles.input_embedding).toBeUndefined();
    expect(mapping.roles.refused).toBeUndefined();
  });

  it('never suggests id-like or high-cardinality columns as dimensions', () => {
    const { mapping } = guessRoles([
      { name: 'session_id', type: 'VARCHAR', distinct: 10, rows: 1000 },
      { name: 'user_text', type: 'VARCHAR', distinct: 900, rows: 1000 },
      { name: 'region', type: 'VARCHAR', distinct: 4, rows: 1000 },
      { name: 'few_rows', type: 'VARCHAR', distinct: 3, rows: 4 },
    ]);
    expect(mapping.dimensions).toEqual([{ column: 'region' }]);
  });
});

describe('structFields', () => {
  it('splits top-level fields, keeping nested types and quoted names whole', () => {
    expect(structFields('STRUCT(a INTEGER, "b, c" STRUCT(d VARCHAR, e DOUBLE[]), f MAP(VARCHAR, INTEGER))')).toEqual([
      { name: 'a', type: 'INTEGER' },
      { name: 'b, c', type: 'STRUCT(d VARCHAR, e DOUBLE[])' },
      { name: 'f', type: 'MAP(VARCHAR, INTEGER)' },
    ]);
    expect(structFields('VARCHAR')).toEqual([]);
  });
});
