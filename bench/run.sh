#!/bin/bash
# bench/run.sh [--micro] [N] [options]: the Pungi.Build benchmark (see bench/README.md). N defaults to 2000.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# A bare number anywhere (bench/run.sh 20000, bench/run.sh --micro 2000) is the package count.
args=()
for a in "$@"; do if [[ "$a" =~ ^[0-9]+$ && ( ${#args[@]} -eq 0 || ! "${args[-1]}" =~ ^(--packages|-n|--maxcpucount|-m)$ ) ]]; then args+=(--packages "$a"); else args+=("$a"); fi; done
set -- "${args[@]+"${args[@]}"}"
exec dotnet run --project "$here/Pungi.Build.Bench" -c Release -- "$@"
