#!/usr/bin/env bash
# Validates the deployment files (`make check-deploy`; also run by the DeploymentFilesTests in `make test`):
#   deploy/compose.yaml  dclint (npm): the Compose specification's JSON schema and its rules (deploy/.dclintrc.yaml)
#   deploy/k8s/*.yaml    scripts/check-k8s.mjs: the Kubernetes OpenAPI schema of each kind (kubernetes-models, npm)
#                        and the checks across files a schema cannot make (grace periods, selectors, references)
# The tools are installed with npm into $RENDEROWL_DATA/tools/deploy-check when missing (node and npm with apt-get).
#
#   scripts/check-deploy.sh [compose-file] [k8s-folder]     (defaults: the repository's own)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
data=${RENDEROWL_DATA:-$repo/.data}
tools=$data/tools/deploy-check
compose=${1:-$repo/deploy/compose.yaml}
k8s=${2:-$repo/deploy/k8s}
packages=(dclint@3.1.0 kubernetes-models@5.1.0 yaml@2.9.1)

log() { printf 'check-deploy: %s\n' "$*" >&2; }
# shellcheck source=scripts/lib.sh
. "$repo/scripts/lib.sh"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then apt_install nodejs npm; fi
stamp="$tools/.installed-$(echo "${packages[*]}" | tr ' @/' '_+-')"
if [ ! -f "$stamp" ]; then
  log "installing ${packages[*]} with npm into $tools"
  mkdir -p "$tools"
  (cd "$tools" && npm install --no-audit --no-fund --loglevel=error --prefix "$tools" "${packages[@]}" >/dev/null)
  touch "$stamp"
fi
# ES modules resolve packages from the script's own folder: run the checker from the tools' folder.
cp "$repo/scripts/check-k8s.mjs" "$tools/check-k8s.mjs"

status=0
if (cd "$tools" && node_modules/.bin/dclint --max-warnings 0 --no-color -c "$repo/deploy/.dclintrc.yaml" "$compose"); then
  echo "compose: $(basename "$compose") valid (dclint $(cd "$tools" && node_modules/.bin/dclint --version))"
else
  echo "compose: FAIL $(basename "$compose") (dclint)"; status=1
fi
(cd "$tools" && node check-k8s.mjs "$k8s") || status=1
exit $status
