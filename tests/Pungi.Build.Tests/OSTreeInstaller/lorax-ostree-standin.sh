#!/bin/bash
# A stand-in for lorax (not packaged for Debian) used by the OSTreeInstaller tests: it compares its command line
# with $LORAX_STANDIN_EXPECT/<variant>.args (worked out by hand from the spec), then writes a lorax-shaped output
# with a real small ISO as images/boot.iso (xorriso, an El Torito record, labelled with --volid, md5 implanted when implantisomd5 exists).
set -euo pipefail
args=("$@")
out=${args[-1]}
variant= volid= logfile=
for a in "${args[@]}"; do
    case $a in
        --variant=*) variant=${a#--variant=} ;;
        --volid=*) volid=${a#--volid=} ;;
        --logfile=*) logfile=${a#--logfile=} ;;
    esac
done
[ -n "$variant" ] && [ -n "$volid" ] && [ -n "$logfile" ] || { echo "lorax stand-in: --variant/--volid/--logfile missing" >&2; exit 2; }
case $out in /*) ;; *) echo "lorax stand-in: output dir '$out' is not absolute" >&2; exit 2 ;; esac
[ ! -e "$out" ] || { echo "lorax stand-in: output dir $out exists (lorax refuses it)" >&2; exit 2; }
logdir=$(dirname "$logfile")
mkdir -p "$logdir"
printf '%s\n' "${args[@]}" > "$logdir/standin-argv.txt"
if [ -n "${LORAX_STANDIN_EXPECT:-}" ]; then
    if ! diff -u "$LORAX_STANDIN_EXPECT/$variant.args" "$logdir/standin-argv.txt" >&2; then
        echo "lorax stand-in: arguments differ from $LORAX_STANDIN_EXPECT/$variant.args" >&2
        exit 3
    fi
fi
echo "lorax stand-in: $variant volid=$volid" > "$logfile"
mkdir -p "$out/images/pxeboot" "$out/isolinux" "$out/.staging/isoroot/isolinux"
echo "ostree installer stage2 of $variant" > "$out/images/install.img"
echo "kernel" > "$out/images/pxeboot/vmlinuz"
printf 'label linux\n  append initrd=initrd.img inst.stage2=hd:LABEL=%s quiet\n' "${volid// /\\x20}" > "$out/isolinux/isolinux.cfg"
cp "$out/isolinux/isolinux.cfg" "$out/.staging/isoroot/isolinux/"
# a placeholder no-emulation boot image: the ISO carries a real El Torito record (Pungi's Test phase checks bootable
# images have one), not a working boot loader
head -c 2048 /dev/zero > "$out/.staging/isoroot/isolinux/isolinux.bin"
printf '[general]\nname = lorax stand-in\n' > "$out/.treeinfo"
xorriso -as mkisofs -quiet -R -J -V "$volid" -b isolinux/isolinux.bin -c isolinux/boot.cat -no-emul-boot -boot-load-size 4 \
    -o "$out/images/boot.iso" "$out/.staging/isoroot" 2>>"$logfile"
rm -rf "$out/.staging"
if command -v implantisomd5 >/dev/null; then implantisomd5 "$out/images/boot.iso" >>"$logfile"; fi
echo "lorax stand-in: wrote $out"
