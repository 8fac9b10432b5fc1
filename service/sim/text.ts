import type { Rng } from './rng';

/**
 * Prompts and answers that read like real traffic: each route has its own questions, each
 * locale its own phrasing, and a new topic (tax) that a scenario can shift traffic towards.
 */
const questions: Record<string, string[]> = {
  support: [
    'How do I reset my password when the reset email never arrives?',
    'My account was locked after three failed logins, how can I unlock it?',
    'Can I transfer my subscription to a colleague who joined our team?',
    'The mobile app logs me out every time I switch networks. Is this a known issue?',
    'How do I enable two-factor authentication for every user in my workspace?',
    'Why does the dashboard show a different timezone than my profile settings?',
  ],
  search: [
    'Which plan includes the audit log export and how long is data retained?',
    'Find the documentation for the webhook retry policy.',
    'What is the difference between the Pro and Enterprise storage limits?',
    'Show me articles about connecting a SAML identity provider.',
    'Where can I read about rate limits on the public API?',
    'Is there a guide for migrating projects between regions?',
  ],
  billing: [
    'I was charged twice for the same invoice in October, please refund one.',
    'Change my billing cycle from monthly to yearly and apply the discount.',
    'Why did my invoice go up by 40 euros this month?',
    'Add a VAT number to all future invoices for our company.',
    'Cancel the extra seats we bought last week and prorate the refund.',
  ],
  sql: [
    'Write a query that returns the ten customers with the highest revenue last quarter.',
    'Count weekly active users per country for the last 8 weeks.',
    'List orders that shipped late, with the delay in days, newest first.',
    'Which products were returned more than five times this year?',
    'Compute the churn rate per plan for each month of 2026.',
  ],
  summarize: [
    'Summarise this support conversation about a failed data import for the next agent.',
    'Give me the key decisions from this call transcript with the customer.',
    'Summarise the thread about the outage and list the follow-up actions.',
    'Condense this 40-message chat about SSO configuration into three bullets.',
  ],
  tax: [
    'Do your invoices include the new digital services tax for customers in Spain?',
    'How should I report the subscription cost on my German tax return?',
    'Can you issue invoices with reverse-charge VAT for EU businesses?',
    'Which tax rate applies to Enterprise plans billed to Japan?',
  ],
};

const openers: Record<string, string[]> = {
  en: ['Hi,', 'Hello,', 'Quick question:', ''],
  de: ['Hallo,', 'Guten Tag,', 'Kurze Frage:', ''],
  fr: ['Bonjour,', 'Salut,', 'Petite question :', ''],
  ja: ['こんにちは、', 'お世話になっております。', ''],
  es: ['Hola,', 'Buenas,', 'Una pregunta:', ''],
};

const answers: Record<string, string[]> = {
  support: [
    'You can unlock the account from Settings → Security. If the email does not arrive, check the spam folder and allow mail from no-reply@acme.example.',
    'Open the admin console, choose Members, and select "Require two-factor authentication". Existing sessions are asked to enrol at their next login.',
    'This is a known issue in app version 5.2 on Android; version 5.3, released this week, fixes it. Updating the app solves the logouts.',
  ],
  search: [
    'The audit log export is part of the Enterprise plan. Logs are retained for 400 days and can be exported as CSV or JSON from the admin console.',
    'The webhook retry policy is described in "Webhooks → Delivery": failed deliveries are retried with exponential backoff for up to 24 hours.',
    'Pro includes 1 TB of storage per workspace; Enterprise starts at 5 TB and can be extended. Both plans include versioning.',
  ],
  billing: [
    'I have refunded the duplicate charge of 129.00 EUR; it will appear on your statement within 5 business days.',
    'Your billing cycle is now yearly, starting on the next renewal date, with the 15% annual discount applied.',
    'The increase comes from the 4 seats added on October 12, prorated for the rest of the month.',
  ],
  sql: [
    '{"sql": "SELECT customer_id, sum(amount) AS revenue FROM orders WHERE ordered_at >= date_trunc(\'quarter\', now()) - INTERVAL 3 MONTH GROUP BY 1 ORDER BY 2 DESC LIMIT 10", "explanation": "Sums order amounts per customer for last quarter."}',
    '{"sql": "SELECT country, date_trunc(\'week\', ts) AS week, count(DISTINCT user_id) FROM events WHERE ts >= now() - INTERVAL 8 WEEK GROUP BY ALL", "explanation": "Weekly distinct users per country."}',
  ],
  summarize: [
    '- The customer\'s CSV import failed on row 4,812 (invalid date).\n- We suggested ISO dates and re-running the import.\n- Follow-up: confirm success tomorrow.',
    '- SSO is configured with Okta but group sync fails.\n- Root cause: the SCIM token expired.\n- Next: customer rotates the token; we verify.',
  ],
  tax: [
    'Invoices for customers in Spain include the applicable VAT. The digital services tax is paid by Acme and is not added to your invoice.',
    'We can issue reverse-charge invoices for EU businesses once a valid VAT number is on the account.',
  ],
};

const brokenFormat = [
  'Sure! Let me think about this step by step. First, we need the orders table, then we group by customer... Here is the query: SELECT customer_id, sum(amount) FROM orders GROUP BY 1 ORDER BY 2 DESC LIMIT 10. Hope this helps!',
  'Great question! To count weekly active users we can use a GROUP BY on the week. ```sql\nSELECT country, count(*) FROM events GROUP BY 1\n``` Let me know if you need more.',
];

const refusals = [
  'I\'m sorry, but I can\'t help with that request.',
  'I can\'t share that information. Please contact your account administrator.',
];

export function promptFor(rng: Rng, route: string, locale: string, topic: string): string {
  const q = rng.pick(questions[topic] ?? questions[route] ?? questions.support);
  const opener = rng.pick(openers[locale] ?? openers.en);
  const detail = rng.chance(0.4) ? ` Context: workspace ${rng.hex(6)}, ${rng.int(2, 400)} users, plan ${rng.pick(['Free', 'Pro', 'Enterprise'])}.` : '';
  return `${opener} ${q}${detail}`.trim();
}

export function responseFor(rng: Rng, route: string, topic: string, opts: { formatBroken: boolean; refused: boolean }): string {
  if (opts.refused) return rng.pick(refusals);
  if (opts.formatBroken) return rng.pick(brokenFormat);
  const base = rng.pick(answers[topic] ?? answers[route] ?? answers.support);
  return rng.chance(0.3) ? `${base} Is there anything else I can help with?` : base;
}

export function rationaleFor(rng: Rng, score: number, formatBroken: boolean, lowRetrieval: boolean): string {
  if (formatBroken) return 'The answer is not the single JSON object the route requires; the SQL is buried in prose.';
  if (lowRetrieval) return 'The answer is generic: the retrieved documents do not cover the question, so key facts are missing.';
  if (score >= 0.8) return rng.pick(['Accurate, grounded in the retrieved documents, and concise.', 'Correct and complete; follows the instructions.']);
  if (score >= 0.6) return rng.pick(['Mostly correct but misses a detail the user asked for.', 'Helpful but slightly verbose and not fully grounded.']);
  return rng.pick(['Contains a claim not supported by the documents.', 'Does not answer the question that was asked.']);
}

/** Tokens track text length (≈4 characters a token, as for English BPE). */
export function tokens(text: string): number {
  return Math.max(1, Math.round(text.length / 4));
}
