#!/bin/bash
# A stand-in for lorax (not packaged for Debian) used by the Buildinstall tests.
# It checks the command line it got, then writes a lorax-shaped output tree with real boot files.
#
# Env:
#   LORAX_STANDIN_BOOT    directory made by fixtures/iso/make-test-iso.sh (its tree/ and *.iso): the real
#                         isolinux.bin, ldlinux.c32, EFI/BOOT/BOOTX64.EFI and FAT images/efiboot.img
#   LORAX_STANDIN_EXPECT  optional directory with <variant>.args: the exact expected arguments, one per line
#                         (worked out by hand from the spec); any difference fails the run with a diff
#   LORAX_STANDIN_FAIL    optional: exit with this code after writing "lorax failed" lines to the log (error tests)
#
# Boot configs carry the label LORAX-STANDIN-LABEL instead of the --volid lorax was given, so the tests can see that
# Pungi's tweak step rewrote them (in the tree and inside efiboot.img).
set -euo pipefail

args=("$@")
[ ${#args[@]} -ge 1 ] || { echo "lorax stand-in: no arguments" >&2; exit 2; }
out=${args[-1]}
variant= volid= logfile= product= version= buildarch=
for a in "${args[@]}"; do
    case $a in
        --variant=*) variant=${a#--variant=} ;;
        --volid=*) volid=${a#--volid=} ;;
        --logfile=*) logfile=${a#--logfile=} ;;
        --product=*) product=${a#--product=} ;;
        --version=*) version=${a#--version=} ;;
        --buildarch=*) buildarch=${a#--buildarch=} ;;
    esac
done
for need in variant volid logfile product version buildarch; do
    [ -n "${!need}" ] || { echo "lorax stand-in: --$need missing" >&2; exit 2; }
done
grep -q -- '^--source=' < <(printf '%s\n' "${args[@]}") || { echo "lorax stand-in: no --source" >&2; exit 2; }
case $out in /*) ;; *) echo "lorax stand-in: output dir '$out' is not absolute" >&2; exit 2 ;; esac
[ ! -e "$out" ] || { echo "lorax stand-in: output dir $out exists (lorax refuses it)" >&2; exit 2; }

logdir=$(dirname "$logfile")
mkdir -p "$logdir"
printf '%s\n' "${args[@]}" > "$logdir/standin-argv.txt"
if [ -n "${LORAX_STANDIN_EXPECT:-}" ] && [ -f "$LORAX_STANDIN_EXPECT/$variant.args" ]; then
    if ! diff -u "$LORAX_STANDIN_EXPECT/$variant.args" "$logdir/standin-argv.txt" >&2; then
        echo "lorax stand-in: arguments differ from $LORAX_STANDIN_EXPECT/$variant.args" >&2
        exit 3
    fi
fi
echo "lorax stand-in: $product $version $variant $buildarch volid=$volid" > "$logfile"
if [ -n "${LORAX_STANDIN_FAIL:-}" ]; then
    for i in $(seq 1 30); do echo "lorax stand-in progress line $i"; done
    echo "Dependency check failed: nothing provides anaconda-core"
    echo "lorax failed"
    exit "$LORAX_STANDIN_FAIL"
fi

boot=${LORAX_STANDIN_BOOT:?LORAX_STANDIN_BOOT not set}
label=LORAX-STANDIN-LABEL
mkdir -p "$out/isolinux" "$out/images/pxeboot" "$out/EFI/BOOT"
cp "$boot/tree/isolinux/isolinux.bin" "$boot/tree/isolinux/ldlinux.c32" "$out/isolinux/"
cp "$boot/tree/EFI/BOOT/BOOTX64.EFI" "$out/EFI/BOOT/"
cp "$boot/tree/images/efiboot.img" "$out/images/efiboot.img"
cp "$(ls "$boot"/*.iso | head -n1)" "$out/images/boot.iso"
head -c 65536 /dev/urandom > "$out/images/pxeboot/vmlinuz"
head -c 131072 /dev/urandom > "$out/images/pxeboot/initrd.img"
head -c 262144 /dev/urandom > "$out/images/install.img"
cp "$out/images/pxeboot/vmlinuz" "$out/images/pxeboot/initrd.img" "$out/isolinux/"

cat > "$out/isolinux/isolinux.cfg" <<CFG
default vesamenu.c32
timeout 600
label linux
  menu label ^Install $product $version
  kernel vmlinuz
  append initrd=initrd.img inst.stage2=hd:LABEL=$label quiet
label check
  menu label Test this ^media & install $product $version
  kernel vmlinuz
  append initrd=initrd.img inst.stage2=hd:LABEL=$label rd.live.check quiet
CFG
cat > "$out/EFI/BOOT/grub.cfg" <<CFG
set default="1"
search --no-floppy --set=root -l '$label'
menuentry 'Install $product $version' --class fedora --class gnu-linux --class gnu --class os {
	linuxefi /images/pxeboot/vmlinuz inst.stage2=hd:LABEL=$label quiet
	initrdefi /images/pxeboot/initrd.img
}
CFG
MTOOLS_SKIP_CHECK=1 mcopy -o -i "$out/images/efiboot.img" "$out/EFI/BOOT/grub.cfg" ::/EFI/BOOT/grub.cfg

# lorax's own .treeinfo (the pre-productmd [general] form lorax writes) and .discinfo
cat > "$out/.treeinfo" <<TI
[general]
name = $product-$version
family = $product
timestamp = 1700000000.0
variant = $variant
version = $version
packagedir =
arch = $buildarch

[stage2]
mainimage = images/install.img

[images-$buildarch]
kernel = images/pxeboot/vmlinuz
initrd = images/pxeboot/initrd.img
efiboot.img = images/efiboot.img
boot.iso = images/boot.iso

[images-xen]
kernel = images/pxeboot/vmlinuz
initrd = images/pxeboot/initrd.img
TI
printf '1700000000.0\n%s\n%s\n' "$product $version" "$buildarch" > "$out/.discinfo"
mkdir -p "$logdir/pkglists"
echo "lorax stand-in done" >> "$logfile"
