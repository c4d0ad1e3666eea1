// Parses each Mermaid file named on the command line with Mermaid's own
// parser (the one GitHub renders with), under jsdom because Mermaid
// sanitizes labels with DOMPurify, which needs a DOM. Prints "ok <file>"
// per file; on the first parse error prints the file and Mermaid's message
// and exits 1. Run by test/wiring_test.go with the Node.js in .tools.
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
// Mermaid's defaults, as GitHub renders with them (maxTextSize 50,000, maxEdges 500).
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });

for (const file of process.argv.slice(2)) {
  try {
    const result = await mermaid.parse(readFileSync(file, 'utf8'));
    if (!result || result.diagramType !== 'flowchart-v2') {
      throw new Error(`parsed as ${result && result.diagramType}, not a flowchart`);
    }
    console.log(`ok ${file}`);
  } catch (e) {
    console.error(`${file}: ${e.message}`);
    process.exit(1);
  }
}
