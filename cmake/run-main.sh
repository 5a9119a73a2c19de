#!/usr/bin/env bash
# The main job on the bundled Shuhan data (README command 1):
# with a display, the viewer; without one, the meeting pack (maps, indices report) in out/.
set -euo pipefail
cd "$(dirname "$0")/.."
exe=build/release/app/huqian
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && "$exe" --help | grep -q '^  view '; then
  exec "$exe" view data/shuhan
fi
echo "huqian: no display: writing the meeting pack for data/shuhan to out/" >&2
"$exe" info data/shuhan
if "$exe" --help | grep -q '^  report '; then
  "$exe" report data/shuhan -o out --lang both
  echo "huqian: wrote out/report.pdf, out/report.md and the maps beside them" >&2
fi
