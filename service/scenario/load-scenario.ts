import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { LoupeError } from '../../shared/errors';
import { scenarioSchema, type Scenario } from './scenario-schema';

export const DEFAULT_SCENARIO = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'scenarios', 'default.yaml');

/** Reads a scenario from JSON or YAML and validates it, naming the file and the field on error. */
export async function loadScenario(file = DEFAULT_SCENARIO, overrides: { rate?: number } = {}): Promise<Scenario> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new LoupeError({ code: 'not_found', message: `cannot read the scenario (${(err as NodeJS.ErrnoException).code})`, file });
  }
  let raw: unknown;
  try {
    raw = file.endsWith('.json') ? JSON.parse(text) : YAML.parse(text);
  } catch (err) {
    throw new LoupeError({ code: 'bad_input', message: `not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message}`, file });
  }
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LoupeError({ code: 'bad_input', message: `invalid scenario: ${issue.path.join('.')}: ${issue.message}`, file, hint: 'see service/README.md for the format' });
  }
  const scenario = parsed.data;
  if (overrides.rate) scenario.rate = overrides.rate;
  for (const d of scenario.deployments) {
    for (const step of d.traffic) {
      for (const v of Object.keys(step.weights)) {
        if (!d.versions.some((x) => x.version === v)) {
          throw new LoupeError({ code: 'bad_input', message: `deployment ${d.id}: traffic names unknown version "${v}"`, file });
        }
      }
    }
  }
  return scenario;
}
