#!/bin/sh
# OpenDray installer: curl -fsSL https://raw.githubusercontent.com/Opendray/opendray/main/install.sh | sh
#
# Environment:
#   OPENDRAY_VERSION        release tag to install (default: the latest release)
#   OPENDRAY_INSTALL_DIR    where the binary goes (default: ~/.local/bin)
#   OPENDRAY_DOWNLOAD_BASE  URL of a directory holding opendray-<os>-<arch> and SHA256SUMS
#   OPENDRAY_NO_SETUP=1     do not start `opendray setup` afterwards
#   OPENDRAY_OS, OPENDRAY_ARCH  override detection (linux|darwin, amd64|arm64)
set -eu

REPO_URL="https://github.com/Opendray/opendray"

say() { printf '%s\n' "$*"; }
fail() {
	printf 'opendray install: %s\n' "$*" >&2
	exit 1
}

detect_os() {
	os=${OPENDRAY_OS:-$(uname -s)}
	case $os in
	Linux | linux) echo linux ;;
	Darwin | darwin) echo darwin ;;
	*) fail "unsupported operating system: $os (OpenDray runs on linux and darwin)" ;;
	esac
}

detect_arch() {
	arch=${OPENDRAY_ARCH:-$(uname -m)}
	case $arch in
	x86_64 | amd64) echo amd64 ;;
	aarch64 | arm64) echo arm64 ;;
	*) fail "unsupported architecture: $arch (OpenDray runs on amd64 and arm64)" ;;
	esac
}

# download URL FILE: fails (non-zero) on any HTTP error.
download() {
	if command -v curl >/dev/null 2>&1; then
		curl -fsSL --retry 2 -o "$2" "$1"
	elif command -v wget >/dev/null 2>&1; then
		wget -q -O "$2" "$1"
	else
		fail "neither curl nor wget is installed"
	fi
}

sha256_of() {
	if command -v sha256sum >/dev/null 2>&1; then
		sha256sum "$1" | cut -d' ' -f1
	elif command -v shasum >/dev/null 2>&1; then
		shasum -a 256 "$1" | cut -d' ' -f1
	elif command -v openssl >/dev/null 2>&1; then
		openssl dgst -sha256 "$1" | sed 's/.*= *//'
	else
		fail "no SHA-256 tool found (sha256sum, shasum or openssl); refusing to install an unverified binary"
	fi
}

OS=$(detect_os)
ARCH=$(detect_arch)
ASSET="opendray-$OS-$ARCH"

if [ -n "${OPENDRAY_DOWNLOAD_BASE:-}" ]; then
	BASE=${OPENDRAY_DOWNLOAD_BASE%/}
elif [ -n "${OPENDRAY_VERSION:-}" ]; then
	BASE="$REPO_URL/releases/download/$OPENDRAY_VERSION"
else
	BASE="$REPO_URL/releases/latest/download"
fi

INSTALL_DIR=${OPENDRAY_INSTALL_DIR:-$HOME/.local/bin}
TARGET="$INSTALL_DIR/opendray"

TMP=$(mktemp -d 2>/dev/null || mktemp -d -t opendray)
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

say "Downloading $ASSET from $BASE"
download "$BASE/$ASSET" "$TMP/$ASSET" || fail "could not download $BASE/$ASSET"
download "$BASE/SHA256SUMS" "$TMP/SHA256SUMS" ||
	fail "could not download $BASE/SHA256SUMS; refusing to install an unverified binary"

# A SHA256SUMS line is "<hex>  <name>" (or "<hex> *<name>" in binary mode).
EXPECTED=$(awk -v f="$ASSET" '$2 == f || $2 == "*" f { print $1; exit }' "$TMP/SHA256SUMS")
[ -n "$EXPECTED" ] || fail "SHA256SUMS has no entry for $ASSET; refusing to install an unverified binary"
ACTUAL=$(sha256_of "$TMP/$ASSET")
EXPECTED=$(printf '%s' "$EXPECTED" | tr 'A-F' 'a-f')
if [ "$ACTUAL" != "$EXPECTED" ]; then
	fail "checksum mismatch for $ASSET (expected $EXPECTED, got $ACTUAL); nothing was installed"
fi
say "Checksum verified ($ACTUAL)"

mkdir -p "$INSTALL_DIR" || fail "cannot create $INSTALL_DIR"
# Copy next to the target then rename, so a running opendray is never half-overwritten.
cp "$TMP/$ASSET" "$TARGET.tmp.$$" || fail "cannot write to $INSTALL_DIR"
chmod 755 "$TARGET.tmp.$$"
if [ "$OS" = darwin ] && command -v xattr >/dev/null 2>&1; then
	xattr -d com.apple.quarantine "$TARGET.tmp.$$" 2>/dev/null || true
fi
mv -f "$TARGET.tmp.$$" "$TARGET" || {
	rm -f "$TARGET.tmp.$$"
	fail "cannot install $TARGET"
}

VERSION_LINE=$("$TARGET" version 2>/dev/null | head -n 1) || VERSION_LINE=""
say "Installed ${VERSION_LINE:-opendray} to $TARGET"

case ":$PATH:" in
*":$INSTALL_DIR:"*) ;;
*)
	say ""
	say "$INSTALL_DIR is not on your PATH. Add it, for example:"
	say "  echo 'export PATH=\"$INSTALL_DIR:\$PATH\"' >> ~/.profile && . ~/.profile"
	;;
esac

# With `curl | sh` stdin is the script itself, so the wizard reads the terminal directly.
if [ "${OPENDRAY_NO_SETUP:-}" != 1 ] && [ "${OPENDRAY_NO_LAUNCH:-}" != 1 ] && (: </dev/tty) 2>/dev/null && [ -t 1 ]; then
	say ""
	say "Starting opendray setup (skip it next time with OPENDRAY_NO_SETUP=1)"
	trap - EXIT
	rm -rf "$TMP"
	exec "$TARGET" setup </dev/tty
fi
say ""
say "Next: run 'opendray setup', then 'opendray' to start the server."
