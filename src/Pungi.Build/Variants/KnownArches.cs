namespace Pungi.Build.Variants;

/// <summary>
/// Arches a variant may list: productmd RPM_ARCHES (spec §6.10) without the pseudo-arches <c>src</c>, <c>nosrc</c>
/// and <c>noarch</c>, which are never tree arches.
/// </summary>
public static class KnownArches
{
    public static IReadOnlySet<string> Tree { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "aarch64", "alpha", "alphaev4", "alphaev45", "alphaev5", "alphaev56", "alphaev6", "alphaev67", "alphaev68",
        "alphaev7", "alphapca56", "amd64", "arm64", "armhfp", "armv5tejl", "armv5tel", "armv5tl", "armv6hl", "armv6l",
        "armv7hl", "armv7hnl", "armv7l", "armv8hl", "armv8l", "athlon", "geode", "i386", "i486", "i586", "i686",
        "ia32e", "ia64", "loongarch64", "mips", "mips64", "mips64el", "mipsel", "ppc", "ppc64", "ppc64iseries",
        "ppc64le", "ppc64p7", "ppc64pseries", "riscv128", "riscv32", "riscv64", "s390", "s390x", "sh3", "sh4", "sh4a",
        "sparc", "sparc64", "sparc64v", "sparcv8", "sparcv9", "sparcv9v", "x86_64",
    };

    public static bool IsTreeArch(string arch) => Tree.Contains(arch);
}
