#!/usr/bin/env bash
# System packages the tests need on Debian: chromium (e2e), a CJK TrueType font and fallbacks
# for rare characters and emoji (PDFs),
# poppler-utils (PDF → PNG in tests), PostgreSQL 15 (contract tests), HAProxy (several app
# processes behind one address: scripts/serve_cluster.py, docs/deployment.md). Then starts PostgreSQL
# and creates the test role and database named by VANGUARD_TEST_PG.
# Idempotent; run as root (CI does) or with sudo.
set -euo pipefail

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

need=()
command -v chromium >/dev/null || need+=(chromium)
[ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || need+=(fonts-wqy-zenhei)
# Fallback fonts for what WenQuanYi lacks: CJK Extension B (𠮷, 𩸽) and emoji (reports/fonts.py).
[ -f /usr/share/fonts/truetype/hanazono/HanaMinB.ttf ] || need+=(fonts-hanazono)
[ -f /usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf ] || need+=(fonts-symbola)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
[ -d /usr/lib/postgresql ] || need+=(postgresql)
command -v haproxy >/dev/null || need+=(haproxy)
if [ ${#need[@]} -gt 0 ]; then
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
fi

# Start the system cluster (stopped in a fresh container) and create the test database.
if ! $SUDO pg_lsclusters -h 2>/dev/null | grep -q online; then
  cluster=$(pg_lsclusters -h | awk 'NR==1{print $1" "$2}')
  # shellcheck disable=SC2086
  $SUDO pg_ctlcluster $cluster start
fi
$SUDO su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='vanguard'\"" | grep -q 1 \
  || $SUDO su postgres -c "psql -qc \"CREATE ROLE vanguard LOGIN PASSWORD 'vanguard' CREATEDB\""
$SUDO su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname='vanguard_test'\"" | grep -q 1 \
  || $SUDO su postgres -c "createdb -O vanguard vanguard_test"
echo "system dependencies ready; PostgreSQL test database: postgresql://vanguard:vanguard@localhost:5432/vanguard_test"
