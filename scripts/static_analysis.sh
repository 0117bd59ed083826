#!/usr/bin/env bash
# Static analysis of contracts/: solhint (.solhint.json), the pinned pragma of implementations, and
# Slither (slither.config.json) on Hardhat's build. Runs every check, then exits non-zero if any
# solhint error, unpinned implementation, or Slither finding of medium or high impact remains.
# Slither lives in its own venv, .venv-tools, because its dependencies clash with web3 8 in .venv.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

slither_version="0.11.6"
crytic_compile_version="0.4.2"
tools="$root/.venv-tools"
failed=()

echo "== solhint"
# --disc: no update check over the network.
npx --no-install solhint --disc --noPoster 'contracts/**/*.sol' || failed+=("solhint")

echo "== pinned pragma"
# solhint's compiler-version rule checks one range for every file, so it accepts the floating
# pragma of interfaces and Common.sol; implementations (contracts, libraries) must pin build.json's.
pinned="$(node -p 'require("./contracts/build.json").solcVersion')"
unpinned=0
while IFS= read -r file; do
  if ! grep -qE "^pragma solidity ${pinned//./\\.};" "$file"; then
    echo "$file: an implementation must declare \`pragma solidity ${pinned};\`"
    unpinned=1
  fi
done < <(grep -rlE '^\s*(abstract\s+)?(contract|library)\s' contracts --include='*.sol' | sort)
if ((unpinned)); then failed+=("pinned pragma"); else echo "every implementation pins ${pinned}"; fi

echo "== slither ${slither_version}"
if [[ ! -x "$tools/bin/slither" ]] || [[ "$("$tools/bin/slither" --version 2>/dev/null)" != "$slither_version" ]]; then
  python3 -m venv "$tools"
  "$tools/bin/pip" install --quiet "slither-analyzer==${slither_version}" "crytic-compile==${crytic_compile_version}"
fi
# Slither reads Hardhat's build-info files. After an incremental build there are several, the older
# ones holding stale copies of changed sources, which Slither would analyse too: rebuild as one.
npx --no-install hardhat compile --quiet
build_infos=(build/hardhat/artifacts/build-info/*.json)
if ((${#build_infos[@]} != 1)); then
  npx --no-install hardhat compile --force --quiet
fi
"$tools/bin/slither" . || failed+=("slither")

if ((${#failed[@]})); then
  echo "static analysis failed: ${failed[*]}" >&2
  exit 1
fi
echo "static analysis passed"
