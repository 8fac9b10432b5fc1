// Sums the JSON reports of every suite into the closing line CI reads: "N passed, N failed".
// A suite that did not produce a report (because an earlier step failed) counts as one failure
// when the run as a whole failed, so a red run can never print "0 failed".
import fs from 'node:fs';

const status = Number(process.argv[2] ?? 0);
let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];

function read(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    missing.push(file);
    return null;
  }
}

const vitest = read('test-results/vitest.json');
if (vitest) {
  passed += vitest.numPassedTests ?? 0;
  failed += vitest.numFailedTests ?? 0;
  skipped += (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
  // Files that failed to load have no tests but are failures all the same.
  failed += (vitest.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0).length;
}

const e2e = read('test-results/e2e.json');
if (e2e) {
  passed += (e2e.stats?.expected ?? 0) + (e2e.stats?.flaky ?? 0);
  failed += e2e.stats?.unexpected ?? 0;
  skipped += e2e.stats?.skipped ?? 0;
}

// A failing step without a test report (the typecheck, the renderer build) still counts.
if (status !== 0 && failed === 0) failed = 1;
if (missing.length) console.log(`(no report from: ${missing.join(', ')})`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
