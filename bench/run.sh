#!/bin/bash
# bench/run.sh [N] [options]: the Pungi.Build benchmark (see bench/README.md). N defaults to 2000.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [[ $# -gt 0 && "$1" =~ ^[0-9]+$ ]]; then set -- --packages "$1" "${@:2}"; fi
exec dotnet run --project "$here/Pungi.Build.Bench" -c Release -- "$@"
