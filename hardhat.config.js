// Hardhat 2 configuration: compiles contracts/ with the solcjs pinned in node_modules, offline.
//
// Compiler settings come from contracts/build.json, the same file registry/chain/compiler.py reads,
// so both toolchains produce byte-identical bytecode (tests/chain/test_toolchain.py checks it).
// RND_EVM_VERSION overrides the EVM target, as it does for the Python compiler; RND_HARDHAT_BUILD_DIR
// moves artifacts and cache (default build/hardhat), so a test can compile into a temporary directory.
const fs = require("fs");
const path = require("path");
const { subtask } = require("hardhat/config");
const { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } = require("hardhat/builtin-tasks/task-names");

const build = JSON.parse(fs.readFileSync(path.join(__dirname, "contracts", "build.json"), "utf8"));
const evmVersion = process.env.RND_EVM_VERSION || build.evmVersion;
if (!build.supportedEvmVersions.includes(evmVersion)) {
  throw new Error(
    `EVM version ${JSON.stringify(evmVersion)} is not one the contracts are tested for; ` +
      `choose one of ${build.supportedEvmVersions.join(", ")}`,
  );
}

// The solcjs in node_modules, instead of a compiler downloaded from binaries.soliditylang.org.
const solcPackage = require("solc/package.json");
if (solcPackage.version !== build.solcVersion) {
  throw new Error(
    `node_modules has solc ${solcPackage.version}, but contracts/build.json pins ${build.solcVersion}; run \`npm ci\``,
  );
}
// The commit hash is not in solc's package.json, and loading soljson.js only to ask it costs a second.
const solcLongVersions = { "0.8.28": "0.8.28+commit.7893614a" };
if (!(build.solcVersion in solcLongVersions)) {
  throw new Error(`hardhat.config.js does not know the commit of solc ${build.solcVersion}; add it to solcLongVersions`);
}

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async ({ solcVersion }) => {
  if (solcVersion !== build.solcVersion) {
    throw new Error(`only solc ${build.solcVersion} is available offline, not ${solcVersion}`);
  }
  return {
    compilerPath: require.resolve("solc/soljson.js"),
    isSolcJs: true,
    version: solcVersion,
    longVersion: solcLongVersions[solcVersion],
  };
});

const buildDir = path.resolve(__dirname, process.env.RND_HARDHAT_BUILD_DIR || path.join("build", "hardhat"));

/** @type import('hardhat/config').HardhatUserConfig */
module.exports = {
  solidity: {
    version: build.solcVersion,
    // Only the settings compiler.py sends too: anything else (metadata options, remappings,
    // optimizer details) would change the metadata hash appended to the bytecode.
    settings: {
      evmVersion,
      optimizer: build.optimizer,
      viaIR: build.viaIR,
    },
  },
  paths: {
    sources: "./contracts",
    artifacts: path.join(buildDir, "artifacts"),
    cache: path.join(buildDir, "cache"),
  },
};
