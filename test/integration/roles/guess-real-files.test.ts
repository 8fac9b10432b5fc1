import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, queryRows, quoteLiteral, type Database } from '../../../electron/core/db/duckdb';
import { guessRoles } from '../../../electron/core/workspace/guess-roles';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures');
let db: Database;
beforeAll(async () => (db = await openDatabase()));
afterAll(() => db.close());

async function describeSql(sql: string) {
  const rows = await queryRows<{ column_name: string; column_type: string }>(db.conn, `DESCRIBE ${sql}`);
  return rows.map((r) => ({ name: r.column_name, type: r.column_type }));
}

describe('role guessing on real third-party files', () => {
  it('a real request log (PipableAI) maps its timestamp and query', async () => {
    const cols = await describeSql(`SELECT * FROM read_parquet(${quoteLiteral(path.join(fixtures, 'real-parquet', 'pipable-sql-logs.parquet'))})`);
    const { mapping } = guessRoles(cols);
    expect(mapping.roles.timestamp).toEqual({ column: 'timestamp' });
    expect(mapping.roles.input_text).toEqual({ column: 'query' });
    expect(mapping.roles.error).toEqual({ column: 'error' });
  });

  it('a real OpenInference LLM span, read as Phoenix-style columns', async () => {
    // Phoenix exports attributes as `attributes.<key>` columns.
    const file = path.join(fixtures, 'openinference', 'openinference_client_span_tool_calls.json');
    const cols = (await describeSql(`SELECT * FROM read_json(${quoteLiteral(file)})`)).map((c) => ({ ...c, name: `attributes.${c.name}` }));
    const { mapping } = guessRoles(cols);
    expect(mapping.roles.model_version).toEqual({ column: 'attributes.llm.model_name' });
    expect(mapping.roles.input_text).toEqual({ column: 'attributes.input.value' });
    expect(mapping.roles.output_text).toEqual({ column: 'attributes.output.value' });
    expect(mapping.roles.input_tokens).toEqual({ column: 'attributes.llm.token_count.prompt' });
    expect(mapping.roles.output_tokens).toEqual({ column: 'attributes.llm.token_count.completion' });
  });

  it('a real OTel GenAI span maps model and token usage', async () => {
    const file = path.join(fixtures, 'openinference', 'otel_genai_client_span_tool_calls.json');
    const { mapping } = guessRoles(await describeSql(`SELECT * FROM read_json(${quoteLiteral(file)})`));
    expect(mapping.roles.model_version).toEqual({ column: 'gen_ai.request.model' });
    expect(mapping.roles.input_tokens).toEqual({ column: 'gen_ai.usage.input_tokens' });
    expect(mapping.roles.output_tokens).toEqual({ column: 'gen_ai.usage.output_tokens' });
    expect(mapping.roles.input_text).toEqual({ column: 'gen_ai.input.messages' });
  });
});
