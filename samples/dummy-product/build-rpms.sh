#!/bin/bash
# Regenerate the sample product's RPMs from specs/ with rpmbuild:
#   rpms/x86_64/  rpms/i686/  rpms/noarch/  binary packages
#   rpms/src/                               one source package per spec
# Reproducible: the same rpm/gcc versions give byte-identical RPMs (fixed
# SOURCE_DATE_EPOCH, build host, payload settings; file and RPM mtimes clamped;
# the C builds map their build directory away so build-ids are stable).
# Idempotent: builds into a temp dir, then replaces rpms/ as a whole.
#
# Needs (Debian 12): apt-get install -y rpm gcc elfutils debugedit
#   rpm       rpmbuild, rpmspec
#   gcc       sample-libfoo (x86_64 and -m32 i686) and sample-hello; everything is
#             built -nostdlib, so no gcc-multilib or libc headers are needed
#   elfutils  eu-strip, used by find-debuginfo for sample-hello-debuginfo
#   debugedit find-debuginfo
# Usage: bash build-rpms.sh            (env: JOBS, default nproc)
set -euo pipefail

for tool in rpmbuild rpmspec gcc eu-strip find-debuginfo; do
    command -v "$tool" >/dev/null || {
        echo "$tool not found: apt-get install -y rpm gcc elfutils debugedit" >&2; exit 1; }
done

HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
SPECDIR=$HERE/specs
OUT=$HERE/rpms
JOBS=${JOBS:-$(nproc)}
# 2023-11-14 22:13:20 UTC: the product's release day, matches the newest changelog entries.
export SOURCE_DATE_EPOCH=1700000000
# The arch packages are built for these targets; i686 first so that noarch
# subpackages of arch specs (built once per target) end up from the x86_64 build.
ARCH_TARGETS="i686 x86_64"

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/rpms/src"

# Which targets a spec is built for: noarch specs once, arch specs for every
# target its ExclusiveArch (if any) allows.
targets_for() {
    local spec=$1 arch excl t out=""
    read -r arch excl < <(rpmspec -q --srpm --qf '%{ARCH} [%{EXCLUSIVEARCH} ]\n' "$spec" 2>/dev/null)
    if [ "$arch" = noarch ]; then echo noarch; return; fi
    for t in $ARCH_TARGETS; do
        read -r arch excl < <(rpmspec -q --target "$t" --srpm --qf '%{ARCH} [%{EXCLUSIVEARCH} ]\n' "$spec" 2>/dev/null)
        if [ -z "${excl:-}" ] || [[ " $excl " == *" $t "* ]]; then out="$out $t"; fi
    done
    echo "$out"
}

build_one() {  # $1 = spec file name; its targets run serially in their own _topdir
    local spec=$1 top="$WORK/top/${1%.spec}" t mode
    mkdir -p "$top"
    local common=(
        --nodeps --quiet
        --define "_topdir $top"
        --define "_sourcedir $SPECDIR"
        --define "_rpmdir $WORK/rpms"
        --define "_srcrpmdir $WORK/rpms/src"
        --define "_buildhost sample-build.example.com"
        --define "use_source_date_epoch_as_buildtime 1"
        --define "clamp_mtime_to_source_date_epoch 1"
        --define "_binary_payload w9.gzdio"
        --define "_source_payload w9.gzdio"
        --define "_build_id_links compat"
    )
    # The source package once, with the host's default target.
    rpmbuild -bs "${common[@]}" "$SPECDIR/$spec" >"$top/log.src" 2>&1 \
        || { echo "FAILED: rpmbuild -bs $spec" >&2; cat "$top/log.src" >&2; return 1; }
    for t in $(targets_for "$SPECDIR/$spec"); do
        mode=(--target "$t")
        [ "$t" = noarch ] && mode=()
        rpmbuild -bb "${mode[@]}" "${common[@]}" "$SPECDIR/$spec" >"$top/log.$t" 2>&1 \
            || { echo "FAILED: rpmbuild -bb --target=$t $spec" >&2; cat "$top/log.$t" >&2; return 1; }
    done
}
export -f build_one targets_for
export SPECDIR WORK ARCH_TARGETS

(cd "$SPECDIR" && ls -1 -- *.spec) | xargs -P "$JOBS" -I{} bash -c 'build_one "$@"' _ {}

# createrepo_c copies RPM file mtimes into primary.xml (<time file=…>): pin them.
find "$WORK/rpms" -name '*.rpm' -exec touch -d "@$SOURCE_DATE_EPOCH" {} +

nspec=$(cd "$SPECDIR" && ls -1 -- *.spec | wc -l)
nsrc=$(find "$WORK/rpms/src" -name '*.src.rpm' | wc -l)
[ "$nsrc" -eq "$nspec" ] || { echo "expected $nspec source RPMs, got $nsrc" >&2; exit 1; }

rm -rf "$OUT"
mkdir -p "$OUT"
for d in "$WORK"/rpms/*/; do mv "$d" "$OUT/"; done
for d in "$OUT"/*/; do echo "$(basename "$d"): $(find "$d" -name '*.rpm' | wc -l) RPMs"; done
echo "total: $(find "$OUT" -name '*.rpm' | wc -l) RPMs, $(du -sh --apparent-size "$OUT" | cut -f1)"
