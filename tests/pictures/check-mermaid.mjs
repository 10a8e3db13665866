// Parse each Mermaid file given with mermaid's own parser (under jsdom); exit 1 if any fails.
// Run by .ci/check-pictures: `npm ci` here, then `node check-mermaid.mjs FILE...`.
import { JSDOM } from 'jsdom';
import { readFileSync } from 'node:fs';
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
let failed = 0;
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, 'utf8');
  try {
    const r = await mermaid.parse(text);
    console.log(`ok ${file} (${r.diagramType})`);
  } catch (e) {
    failed++;
    console.log(`FAILED ${file}: ${String(e.message ?? e).split('\n').slice(0, 4).join(' | ')}`);
  }
}
process.exit(failed ? 1 : 0);
