#!/bin/bash
# Regenerates the two package updates the report build test swaps into the sample (ComposeReportBuildTests):
#   sample-nano 1:7.0-1  an upgrade of 7.2-3 only through its epoch (rpmvercmp: epoch first)
#   sample-tftp 5.2-4    a downgrade of 5.2-40 by release ("4" < "40")
# From samples/dummy-product/specs with the same reproducible rpmbuild settings as its build-rpms.sh.
# Needs: apt-get install -y rpm.   Usage: bash build.sh
set -euo pipefail
HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
SPECS=$HERE/../../../../samples/dummy-product/specs
export SOURCE_DATE_EPOCH=1700000000
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
sed -e 's/^Version:.*/Version:        7.0/' -e 's/^Release:.*/Release:        1/' -e '/^Release:/a Epoch:          1' \
    "$SPECS/sample-nano.spec" > "$WORK/sample-nano.spec"
sed -e 's/^Release:.*/Release:        4/' "$SPECS/sample-tftp.spec" > "$WORK/sample-tftp.spec"
for spec in sample-nano sample-tftp; do
    common=(--nodeps --quiet --define "_topdir $WORK/top-$spec" --define "_sourcedir $WORK" --define "_rpmdir $WORK/rpms"
            --define "_srcrpmdir $WORK/rpms/src" --define "_buildhost sample-build.example.com"
            --define "use_source_date_epoch_as_buildtime 1" --define "clamp_mtime_to_source_date_epoch 1"
            --define "_binary_payload w9.gzdio" --define "_source_payload w9.gzdio" --define "_build_id_links compat")
    rpmbuild -bs "${common[@]}" "$WORK/$spec.spec" >/dev/null
    for t in i686 x86_64; do rpmbuild -bb --target "$t" "${common[@]}" "$WORK/$spec.spec" >/dev/null; done
done
find "$WORK/rpms" -name '*.rpm' -exec touch -d "@$SOURCE_DATE_EPOCH" {} +
for d in "$WORK"/rpms/*/; do mkdir -p "$HERE/$(basename "$d")"; cp "$d"/*.rpm "$HERE/$(basename "$d")/"; done
find "$HERE" -name '*.rpm' | sort
