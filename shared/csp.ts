/**
 * The renderer's Content Security Policy, sent as a header by both transports (app:// in
 * Electron, HTTP in browser mode). No eval: vega runs through vega-interpreter and zod in
 * jitless mode. Inline styles stay allowed because vega and React set style attributes.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
