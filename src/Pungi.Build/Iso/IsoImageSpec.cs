namespace Pungi.Build.Iso;

/// <summary>
/// What to put into one ISO image: a directory tree (plus optional graft points laid over it, later ones winning,
/// as Pungi's graft-points file overlays the staging dir on the os tree) and the mkisofs-style options Pungi uses
/// (<c>-volid -J -joliet-long -rational-rock [-iso-level N] [-appid] …</c>, boot arguments, implantisomd5).
/// </summary>
public sealed class IsoImageSpec
{
    /// <summary>The tree to write; may be null when everything comes from <see cref="Grafts"/>.</summary>
    public string? SourceDirectory { get; init; }

    /// <summary>Extra <c>iso_path=fs_path</c> entries laid over the tree (files or whole directories).</summary>
    public IReadOnlyList<IsoGraft> Grafts { get; init; } = [];

    /// <summary>Paths relative to the image root left out (mkisofs <c>-x ./lost+found</c>).</summary>
    public IReadOnlyList<string> Exclude { get; init; } = ["lost+found"];

    /// <summary>Volume ID, at most 32 characters (§7.2); recorded as given, padded with spaces.</summary>
    public required string VolumeId { get; init; }

    public string SystemId { get; init; } = "LINUX";
    public string? VolumeSetId { get; init; }
    public string? PublisherId { get; init; }
    public string? PreparerId { get; init; }
    public string? ApplicationId { get; init; }

    /// <summary>ISO 9660 interchange level 1, 2 or 3; only level 3 may hold files of 4 GiB and more (multi-extent).</summary>
    public int IsoLevel { get; init; } = 3;

    public bool RockRidge { get; init; } = true;

    /// <summary>mkisofs <c>-rational-rock</c>: uid/gid 0, everything readable, write bits off (what Pungi passes).</summary>
    public bool RationalRock { get; init; } = true;

    public bool Joliet { get; init; } = true;

    /// <summary>mkisofs <c>-joliet-long</c>: Joliet names up to 103 UCS-2 characters instead of 64.</summary>
    public bool JolietLong { get; init; } = true;

    public IsoBootOptions? Boot { get; init; }

    /// <summary>Implant the md5 as <c>implantisomd5</c> does (checked later by <c>checkisomd5</c>).</summary>
    public bool ImplantMd5 { get; init; } = true;

    /// <summary><c>implantisomd5 --supported-iso</c>: RHLISOSTATUS=1.</summary>
    public bool SupportedIso { get; init; }

    /// <summary>
    /// Volume creation time and the upper clamp for every file time; null = SOURCE_DATE_EPOCH when set, else now.
    /// With a fixed value the same tree gives a byte-identical image.
    /// </summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>
    /// Without <see cref="Timestamp"/> and SOURCE_DATE_EPOCH: take the volume time from the newest entry of the tree
    /// instead of the clock, so writing the same tree twice gives the same bytes.
    /// </summary>
    public bool TimestampFromTree { get; init; }

    /// <summary>
    /// Only these files (relative '/'-paths) of <see cref="SourceDirectory"/> go on the image, with the directories
    /// that lead to them (one disc of split media); null = the whole tree. Grafts are always added.
    /// </summary>
    public IReadOnlySet<string>? IncludeOnly { get; init; }
}

/// <summary>One graft point: <paramref name="IsoPath"/> (relative, '/'-separated) = <paramref name="FileSystemPath"/>.</summary>
public sealed record IsoGraft(string IsoPath, string FileSystemPath);

/// <summary>
/// El Torito and hybrid boot setup, paths relative to the image root. The x86_64 Pungi arguments
/// (<c>-b isolinux/isolinux.bin -c isolinux/boot.cat -no-emul-boot -boot-load-size 4 -boot-info-table
/// -eltorito-alt-boot -e images/efiboot.img -no-emul-boot</c> + <c>isohybrid --uefi</c>) are <see cref="X86_64"/>.
/// </summary>
public sealed class IsoBootOptions
{
    /// <summary>BIOS no-emulation boot image (<c>-b</c>); null = no BIOS entry.</summary>
    public string? BiosImage { get; init; }

    /// <summary>Boot catalog path (<c>-c</c>), a 2048-byte file the writer creates.</summary>
    public string Catalog { get; init; } = "isolinux/boot.cat";

    /// <summary><c>-boot-load-size</c> in 512-byte sectors; 0 = the whole image (mkisofs without the option).</summary>
    public int BiosLoadSize { get; init; } = 4;

    /// <summary><c>-boot-info-table</c>: patch bytes 8-63 of the BIOS image with PVD LBA, image LBA, length, checksum.</summary>
    public bool BootInfoTable { get; init; } = true;

    /// <summary>UEFI image (<c>-eltorito-alt-boot -e</c>), platform 0xEF; null = no UEFI entry.</summary>
    public string? EfiImage { get; init; }

    /// <summary>
    /// Write an isohybrid MBR (and, with an EFI image, the GPT and 0xEF MBR partition of <c>isohybrid --uefi</c> /
    /// <c>xorriso -isohybrid-gpt-basdat</c>) so the image also boots from a USB stick.
    /// </summary>
    public bool Hybrid { get; init; }

    /// <summary>
    /// The 432-byte MBR boot code (syslinux <c>isohdpfx.bin</c>). Null = <c>/usr/lib/ISOLINUX/isohdpfx.bin</c> or
    /// <c>/usr/share/syslinux/isohdpfx.bin</c> when present at run time, else an all-zero code area.
    /// </summary>
    public string? MbrCodePath { get; init; }

    /// <summary>
    /// <c>-chrp-boot</c>: an MBR whose one partition (type 0x96, CHRP) spans the image, as xorrisofs writes for ppc.
    /// </summary>
    public bool ChrpPartition { get; init; }

    /// <summary><c>-sysid</c> override (ppc: <c>PPC</c>); null keeps <see cref="IsoImageSpec.SystemId"/>.</summary>
    public string? SystemId { get; init; }

    /// <summary>Pungi's x86_64 boot arguments (spec §7.4) plus isohybrid --uefi.</summary>
    public static IsoBootOptions X86_64 => new()
    {
        BiosImage = "isolinux/isolinux.bin", Catalog = "isolinux/boot.cat", BiosLoadSize = 4, BootInfoTable = true,
        EfiImage = "images/efiboot.img", Hybrid = true,
    };

    /// <summary>Pungi's aarch64 boot arguments: UEFI only.</summary>
    public static IsoBootOptions Aarch64 => new() { EfiImage = "images/efiboot.img", Catalog = "boot.catalog" };
}
