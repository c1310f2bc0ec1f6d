#!/bin/sh
# OpenDray fallback uninstaller: removes the well-known paths without needing a working binary.
# Prefer `opendray uninstall`, which also stops the server and handles an external database.
#
# Environment:
#   OPENDRAY_YES=1          do not ask for confirmation
#   OPENDRAY_DRY_RUN=1      only print what would be removed
#   OPENDRAY_INSTALL_DIR    where the binary was installed (default: ~/.local/bin)
#   OPENDRAY_HOME           data directory (default: ~/.opendray)
set -eu

say() { printf '%s\n' "$*"; }
fail() {
	printf 'opendray uninstall: %s\n' "$*" >&2
	exit 1
}

INSTALL_DIR=${OPENDRAY_INSTALL_DIR:-$HOME/.local/bin}
DATA_HOME=${OPENDRAY_HOME:-$HOME/.opendray}
CONFIG_DIR=${XDG_CONFIG_HOME:-$HOME/.config}/opendray
UNIT=/etc/systemd/system/opendray.service
PLIST=/Library/LaunchDaemons/com.opendray.opendray.plist

PATHS=""
for p in "$INSTALL_DIR/opendray" "$DATA_HOME" "$CONFIG_DIR"; do
	if [ -e "$p" ] || [ -L "$p" ]; then
		PATHS="$PATHS$p
"
	fi
done
# As root the bundled cluster lives under /var/lib/opendray/clusters, linked from the data dir.
if [ -L "$DATA_HOME/pg/data" ]; then
	target=$(readlink "$DATA_HOME/pg/data")
	case $target in
	/var/lib/opendray/clusters/*/data) [ -e "${target%/data}" ] && PATHS="$PATHS${target%/data}
" ;;
	esac
fi
SERVICE=""
[ -e "$UNIT" ] && SERVICE=$UNIT
[ -e "$PLIST" ] && SERVICE=$PLIST

if [ -z "$PATHS" ] && [ -z "$SERVICE" ]; then
	say "Nothing to remove: no OpenDray files found."
	exit 0
fi

say "This removes:"
printf '%s' "$PATHS" | while IFS= read -r p; do say "  $p"; done
[ -n "$SERVICE" ] && say "  $SERVICE (service, needs root)"

if [ "${OPENDRAY_DRY_RUN:-}" = 1 ]; then
	say "Dry run: nothing was removed."
	exit 0
fi

if [ "${OPENDRAY_YES:-}" != 1 ]; then
	(: </dev/tty) 2>/dev/null || fail "no terminal to confirm on; set OPENDRAY_YES=1 to remove without asking"
	printf 'Remove these? [y/N] ' >/dev/tty
	read -r answer </dev/tty || answer=""
	case $answer in
	y | Y | yes | YES) ;;
	*)
		say "Aborted: nothing was removed."
		exit 1
		;;
	esac
fi

if [ -n "$SERVICE" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		say "Skipping $SERVICE: run again with sudo to remove the service."
	elif [ "$SERVICE" = "$UNIT" ]; then
		systemctl disable --now opendray 2>/dev/null || true
		rm -f "$UNIT"
		systemctl daemon-reload 2>/dev/null || true
		say "Removed $UNIT"
	else
		launchctl bootout system/com.opendray.opendray 2>/dev/null || true
		rm -f "$PLIST"
		rm -rf /var/log/opendray
		say "Removed $PLIST"
	fi
fi

# A bundled Postgres left running would keep writing into the directory being removed.
PG_PID_FILE="$DATA_HOME/pg/data/postmaster.pid"
if [ -f "$PG_PID_FILE" ]; then
	pid=$(head -n 1 "$PG_PID_FILE")
	case $pid in
	'' | *[!0-9]*) ;;
	*)
		kill -INT "$pid" 2>/dev/null || true
		i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.2
			i=$((i + 1))
		done
		;;
	esac
fi

printf '%s' "$PATHS" | while IFS= read -r p; do
	rm -rf "$p" && say "Removed $p"
done
say "OpenDray is uninstalled. An external database, if you used one, was left untouched."
