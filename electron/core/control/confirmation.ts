import { LoupeError } from '../../../shared/errors';

/**
 * An override re-enables a version the automation took out of traffic, so it needs the
 * deployment's name typed out: checked in the core too, so no client can skip it. Either the
 * display name or the id is accepted, exactly (a near miss is the typo this guards against).
 */
export function checkConfirmation(id: string, name: string | null, typed: string | undefined): void {
  const wanted = [id, name].filter((x): x is string => Boolean(x));
  if (typed != null && wanted.includes(typed.trim())) return;
  throw new LoupeError({
    code: 'bad_input',
    message: typed ? `the confirmation "${typed}" does not match the deployment` : 'an override needs the deployment name typed as confirmation',
    hint: `type ${wanted.map((w) => `"${w}"`).join(' or ')} to confirm`,
  });
}
