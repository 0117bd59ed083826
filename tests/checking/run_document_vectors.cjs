// Runs the standalone verifier's check (registry/web/static/verifier/verifier.js) on each shared
// vector, with a node that answers as recorded; prints each vector's verdict and steps as JSON.
// Usage: node tests/checking/run_document_vectors.cjs VECTORS ABI KINDS_JSON
"use strict";

const fs = require("fs");
const path = require("path");
const verifier = require(path.resolve(__dirname, "../../registry/web/static/verifier/verifier.js"));

function replayed(recorded) {
  const answers = new Map(recorded.answers.map((a) => [JSON.stringify([a.method, a.params]), a.result]));
  return {
    url: recorded.url,
    async request(method, params) {
      const key = JSON.stringify([method, params]);
      if (!answers.has(key)) throw new Error("not recorded: " + key);
      return answers.get(key);
    },
  };
}

async function main() {
  const [vectorsPath, abiPath, kindsJson] = process.argv.slice(2);
  const vectors = JSON.parse(fs.readFileSync(vectorsPath, "utf8")).vectors;
  const abi = JSON.parse(fs.readFileSync(abiPath, "utf8"));
  const kinds = JSON.parse(kindsJson);
  const results = [];
  for (const vector of vectors) {
    const receipt = verifier.parseReceipt(vector.receipt, kinds);
    const check = await verifier.checkDocumentReceipt(replayed(vector.node), receipt, vector.fileSha256, abi, kinds);
    results.push({ name: vector.name, verdict: check.verdict,
                   steps: check.steps.map((s) => [s.step, s.status, s.reason, s.batch]) });
  }
  process.stdout.write(JSON.stringify(results) + "\n");
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack || error) + "\n");
  process.exit(1);
});
