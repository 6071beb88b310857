#!/usr/bin/env bash
# What every learner on a hub shares read-only, in one folder: the lessons (notebooks/), the start script of their
# server (singleuser.sh), the Go releases lessons 00 and 04 compare against (toolchains/) and a Go build cache
# warmed by `gokit doctor` (go-build/, copied into each new home by singleuser.sh).
#
#   bash docs/hub/prepare-shared.sh SHARED_DIR     # with the learners' Python environment first on PATH
#
# One machine: classroom.py setup runs it. The Littlest JupyterHub: PATH=/opt/tljh/user/bin:$PATH, /srv/gokit.
# Zero to JupyterHub: at the end of binder/postBuild, "$NB_PYTHON_PREFIX/share/gokit" (outside the home volume).
# GOKIT_NO_DOCTOR=1 skips gokit doctor (no warm cache, no second Go: a quick test).
set -euo pipefail
shared="${1:?usage: prepare-shared.sh SHARED_DIR}"
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
mkdir -p "$shared/toolchains"
rm -rf "$shared/notebooks"
cp -R "$repo/notebooks" "$shared/notebooks"
rm -rf "$shared/notebooks/_src"
find "$shared/notebooks" \( -name .ipynb_checkpoints -o -name __pycache__ \) -prune -exec rm -rf {} +
cp "$here/singleuser.sh" "$shared/singleuser.sh"
if [ "${GOKIT_NO_DOCTOR:-0}" != 1 ]; then
  GOCACHE="$shared/go-build" GOKIT_TOOLCHAINS="$shared/toolchains" gokit doctor
fi
chmod -R a+rX "$shared"
