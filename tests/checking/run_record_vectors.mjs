// The browser's side of the shared record vectors: reads a vectors file (tests/checking/vectors/
// records.json), runs each case through registry/web/static/record-check.js as the page does, and
// prints one JSON array, per case {name, verdict, chain, differences: [paths], derived: [paths]}, for the pytest that
// holds it equal to registry/checking/records.py's answers.
//
//   node tests/checking/run_record_vectors.mjs tests/checking/vectors/records.json
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as ethers from "ethers";

import { compareRecord, createChecker } from "../../registry/web/static/record-check.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const read = (path) => JSON.parse(readFileSync(path, "utf-8"));

const file = process.argv[2];
if (!file) {
  process.stderr.write("usage: node tests/checking/run_record_vectors.mjs <vectors.json>\n");
  process.exit(2);
}
const checker = createChecker({
  ethers,
  spec: read(resolve(root, "registry/checking/records.json")),
  abi: read(resolve(root, "registry/checking/abi.json")),
});

const answers = read(file).cases.map((c) => {
  const evidence = checker.evidenceOf(c.kind, c.evidence);
  const result = compareRecord(checker, c.kind, c.key, c.copy === undefined ? null : c.copy, evidence);
  return { name: c.name, verdict: result.verdict, chain: result.chain, differences: result.differences.map((d) => d.path), derived: result.derived };
});
process.stdout.write(JSON.stringify(answers) + "\n");
