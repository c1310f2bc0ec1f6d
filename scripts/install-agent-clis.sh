#!/usr/bin/env bash
# Installs the five agent CLIs from npm into a project-local prefix (.agents/, bins in .agents/bin)
# and checks that each one starts. Idempotent: an up-to-date install is kept unless FORCE=1.
# Usage: scripts/install-agent-clis.sh [prefix]   then: export PATH="$prefix/bin:$PATH"
# The versions are pinned to the ones the manifests' flags and the agent tests were checked against;
# AGENT_CLI_VERSION=latest installs the newest of each instead (to check a new release).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix="${1:-${AGENTS_PREFIX:-$root/.agents}}"
packages=(
  @anthropic-ai/claude-code@2.1.197
  @openai/codex@0.169.0
  @google/gemini-cli@0.61.0
  opencode-ai@1.18.33
  @qwen-code/qwen-code@0.15.10
)
if [[ "${AGENT_CLI_VERSION:-}" == latest ]]; then
  for i in "${!packages[@]}"; do packages[i]="${packages[i]%@*}@latest"; done
fi
commands=(claude codex gemini opencode qwen)
stamp="$prefix/.versions"

if [[ "$(cat "$stamp" 2>/dev/null)" != "${packages[*]}" || "${FORCE:-0}" == 1 ]]; then
  mkdir -p "$prefix"
  # Global-style install: each CLI keeps its own dependency tree. Some of them fetch or link their
  # native binary in a postinstall script, so scripts must run (npm 11 may otherwise skip them).
  npm install --global --prefix "$prefix" --no-audit --no-fund --loglevel=error \
    --foreground-scripts --ignore-scripts=false "${packages[@]}"
  echo "${packages[*]}" >"$stamp"
fi

failed=0
for cmd in "${commands[@]}"; do
  if out="$(HOME="$(mktemp -d)" timeout 60 "$prefix/bin/$cmd" --version 2>&1 </dev/null)"; then
    echo "ok   $cmd $(echo "$out" | tail -n1)"
  else
    echo "FAIL $cmd: $out" >&2
    failed=1
  fi
done
exit "$failed"
