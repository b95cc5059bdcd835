using Pungi.Build.Diagnostics;

namespace Pungi.Build.Iso;

/// <summary>
/// Upstream's per-arch boot arguments for a bootable DVD (spec §7.4 table, <c>pungi.createiso</c> /
/// <c>iso.get_boot_options</c>): the mkisofs options for the xorriso backend, the same setup for the native writer, the
/// files lorax must have left in the os tree, and whether <c>isohybrid [--uefi]</c> follows.
/// </summary>
public static class IsoBootArgs
{
    private static bool IsX86(string arch) => arch is "i386" or "i686" or "x86_64";
    private static bool IsPpc(string arch) => arch is "ppc" or "ppc64" or "ppc64le";

    /// <summary>
    /// Boot files the os tree must hold for the image to boot; when one is missing Buildinstall did not run or failed
    /// for the tree, and upstream skips the bootable image with a warning.
    /// </summary>
    public static IReadOnlyList<string> RequiredFiles(string arch) => arch switch
    {
        "x86_64" => ["isolinux/isolinux.bin", "images/efiboot.img"],
        "i386" or "i686" => ["isolinux/isolinux.bin"],
        "aarch64" => ["images/efiboot.img"],
        "s390" or "s390x" => ["images/cdboot.img"],
        "ia64" => ["images/boot.img"],
        _ when IsPpc(arch) => ["ppc/bootinfo.txt"],
        _ => [],
    };

    /// <summary>
    /// The mkisofs boot options of spec §7.4 (<paramref name="loraxTemplates"/> is lorax's template dir, for the ppc
    /// HFS <c>-map</c>). Arches without a row are an error, as upstream.
    /// </summary>
    public static IReadOnlyList<string> Mkisofs(string arch, bool ppcHfsCompatible = true, string loraxTemplates = "/usr/share/lorax")
    {
        string[] i386 = ["-b", "isolinux/isolinux.bin", "-c", "isolinux/boot.cat", "-no-emul-boot", "-boot-load-size", "4", "-boot-info-table"];
        string[] efi = ["-eltorito-alt-boot", "-e", "images/efiboot.img", "-no-emul-boot"];
        return arch switch
        {
            "arm" or "armhfp" => [],
            "aarch64" => efi,
            "i386" or "i686" => i386,
            "x86_64" => [.. i386, .. efi],
            "ia64" => ["-b", "images/boot.img", "-no-emul-boot"],
            _ when IsPpc(arch) && ppcHfsCompatible => ["-part", "-hfs", "-r", "-l", "-sysid", "PPC", "-no-desktop", "-allow-multidot", "-chrp-boot",
                "-map", loraxTemplates.TrimEnd('/') + "/config_files/ppc/mapping", "-hfs-bless", "/ppc/mac"],
            _ when IsPpc(arch) => ["-r", "-l", "-sysid", "PPC", "-chrp-boot"],
            "sparc" => ["-G", "/boot/isofs.b", "-B", "...", "-s", "/boot/silo.conf", "-sparc-label", "\"sparc\""],
            "s390" or "s390x" => ["-eltorito-boot", "images/cdboot.img", "-no-emul-boot"],
            _ => throw new PungiException(ErrorCodes.IsoBootArchUnsupported, $"no boot options are known for arch '{arch}' (spec §7.4); a bootable ISO cannot be made"),
        };
    }

    /// <summary><c>isohybrid</c> runs after mkisofs on x86 only, with <c>--uefi</c> on x86_64.</summary>
    public static (bool Run, bool Uefi) Isohybrid(string arch) => (IsX86(arch), arch == "x86_64");

    /// <summary>
    /// The same setup for the native writer: El Torito entries, isohybrid MBR (+GPT for UEFI), the CHRP partition and
    /// system ID of <c>-chrp-boot -sysid PPC</c>. The ppc HFS hybrid and sparc's SILO label are beyond it.
    /// </summary>
    public static IsoBootOptions? Native(string arch, bool ppcHfsCompatible = true)
    {
        return arch switch
        {
            "arm" or "armhfp" => null,
            "x86_64" => IsoBootOptions.X86_64,
            "i386" or "i686" => new IsoBootOptions { BiosImage = "isolinux/isolinux.bin", Catalog = "isolinux/boot.cat", BiosLoadSize = 4, BootInfoTable = true, Hybrid = true },
            "aarch64" => IsoBootOptions.Aarch64,
            // -b without -boot-load-size or -boot-info-table: mkisofs loads the whole no-emulation image.
            "ia64" => new IsoBootOptions { BiosImage = "images/boot.img", Catalog = "boot.catalog", BiosLoadSize = 0, BootInfoTable = false },
            "s390" or "s390x" => new IsoBootOptions { BiosImage = "images/cdboot.img", Catalog = "boot.catalog", BiosLoadSize = 0, BootInfoTable = false },
            _ when IsPpc(arch) && !ppcHfsCompatible => new IsoBootOptions { ChrpPartition = true, SystemId = "PPC" },
            _ when IsPpc(arch) => throw new PungiException(ErrorCodes.IsoBootNativeUnsupported,
                $"the native ISO writer cannot make the Apple HFS hybrid of a bootable {arch} image; set IsoHfsPpc64leCompatible=false (CHRP only) or IsoBackend=xorriso"),
            "sparc" => throw new PungiException(ErrorCodes.IsoBootNativeUnsupported, "the native ISO writer cannot write a sparc SILO boot block; use IsoBackend=xorriso"),
            _ => throw new PungiException(ErrorCodes.IsoBootArchUnsupported, $"no boot options are known for arch '{arch}' (spec §7.4); a bootable ISO cannot be made"),
        };
    }
}
