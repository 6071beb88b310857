#!/bin/sh
# A learner's Jupyter server: the hub runs this as the learner (LocalProcessSpawner), in their home, with the
# shared environment first on PATH. On the first start it copies into the home what is shared read-only:
#   the lessons (~/notebooks: edits stay the learner's; delete it to get a fresh copy at the next start), and
#   Go's build cache warmed by `gokit doctor` (~/.cache/go-build: Go needs a writable one of its own).
set -eu
shared="${GOKIT_HUB_SHARED:?the hub sets GOKIT_HUB_SHARED}"
[ -d "$HOME/notebooks" ] || cp -R "$shared/notebooks" "$HOME/notebooks"
if [ "${GOKIT_HUB_WARM_GOCACHE:-1}" = 1 ] && [ -d "$shared/go-build" ] && [ ! -d "$HOME/.cache/go-build" ]; then
  mkdir -p "$HOME/.cache"
  cp -R "$shared/go-build" "$HOME/.cache/go-build"
fi
exec jupyterhub-singleuser "$@"
