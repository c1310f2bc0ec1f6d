#!/bin/bash
# Container entrypoint (under tini): as root, gives the `opendray` user the PUID/PGID asked for, makes
# /data and the home directory (the agents' logins) its own, then drops to it. The bundled Postgres
# refuses to run as root, and the sessions' files in /workspace should belong to the host user.
# Started with --user already, it only checks and runs the command.
set -euo pipefail

agent_dirs=(.claude .codex .gemini .config/opencode .local/share/opencode .qwen)

prepare_home() {
  local d
  for d in "$OPENDRAY_HOME" "$HOME" "${agent_dirs[@]/#/$HOME/}" "$HOME/.claude.json"; do
    [ "$d" = "$HOME/.claude.json" ] || mkdir -p "$d" 2>/dev/null || true
    if [ -e "$d" ] && [ ! -w "$d" ]; then
      echo "opendray-entrypoint: $d is not writable by uid $(id -u): OpenDray's data and the agents' logins must be (never mount them read-only)" >&2
      exit 1
    fi
  done
}

if [ "$(id -u)" != 0 ]; then
  prepare_home
  exec "$@"
fi

uid=${PUID:-1000} gid=${PGID:-1000}
if [ "$uid" = 0 ]; then
  echo "opendray-entrypoint: PUID=0 is not supported: the bundled Postgres does not run as root" >&2
  exit 1
fi
[ "$(id -g opendray)" = "$gid" ] || groupmod --non-unique --gid "$gid" opendray
[ "$(id -u opendray)" = "$uid" ] || usermod --non-unique --uid "$uid" opendray 2>/dev/null
# Only what OpenDray owns; /workspace is the user's and keeps its owner.
for d in "$OPENDRAY_HOME" "$HOME"; do
  mkdir -p "$d"
  [ "$(stat -c %u:%g "$d")" = "$uid:$gid" ] || chown -R "$uid:$gid" "$d"
done
exec setpriv --reuid="$uid" --regid="$gid" --init-groups -- "$0" "$@"
