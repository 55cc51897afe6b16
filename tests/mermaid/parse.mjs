// Parse Mermaid flowcharts with Mermaid's own parser and print what it understood, as a
// JSON array (one entry per file): the nodes and subgraphs with their labels decoded to
// the text a reader sees, and the edges with their labels and stroke. Exit 1 with the
// parser's message on the first error.
//
// Usage: node parse.mjs FILE.mmd...
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';

// Mermaid sanitises labels with DOMPurify, which needs a DOM.
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;

const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });

// Mermaid keeps `#name;` / `#123;` entities encoded while parsing and decodes them when
// it draws; do the same, then read the HTML entities as a browser would.
function decode(text) {
  const html = String(text ?? '')
    .replaceAll('ﬂ°°', '&#')
    .replaceAll('ﬂ°', '&')
    .replaceAll('¶ß', ';');
  const element = dom.window.document.createElement('textarea');
  element.innerHTML = html;
  return element.value;
}

async function understand(text) {
  await mermaid.parse(text);
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const db = diagram.db;
  const vertices = db.getVertices();
  const nodes = [...(vertices instanceof Map ? vertices.values() : Object.values(vertices))].map((v) => ({
    id: v.id,
    label: decode(v.text),
  }));
  const edges = db.getEdges().map((e) => ({
    from: e.start,
    to: e.end,
    label: decode(e.text),
    stroke: e.stroke,
  }));
  const subgraphs = db.getSubGraphs().map((s) => ({ id: s.id, title: decode(s.title), nodes: s.nodes }));
  return { type: diagram.type, nodes, edges, subgraphs };
}

const results = [];
for (const file of process.argv.slice(2)) {
  try {
    results.push(await understand(readFileSync(file, 'utf8')));
  } catch (error) {
    console.error(`mermaid: ${file}: ${error.message ?? error}`);
    process.exit(1);
  }
}
console.log(JSON.stringify(results));
