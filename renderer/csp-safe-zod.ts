import { z } from 'zod';

// zod compiles fast parsers with `new Function`, which the strict CSP (no 'unsafe-eval')
// refuses and reports as a violation. Must run before any schema parses.
z.config({ jitless: true });
