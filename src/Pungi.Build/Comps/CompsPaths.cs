namespace Pungi.Build.Comps;

/// <summary>
/// Where Init's comps files live under a compose's <c>work/</c> directory (Pungi's <c>WorkPaths.comps</c> and
/// <c>comps_repo</c>, spec §1.4/§4.4). <paramref name="workDir"/> is <c>&lt;topdir&gt;/work</c>.
/// </summary>
public static class CompsPaths
{
    /// <summary><c>work/global/comps/comps-global.xml</c>: the input, copied verbatim.</summary>
    public static string Global(string workDir) => Path.Combine(workDir, "global", "comps", "comps-global.xml");

    /// <summary><c>work/x86_64/comps/comps-x86_64.xml</c>: arch filtered, no cleanup.</summary>
    public static string ForArch(string workDir, string arch)
        => Path.Combine(workDir, Compose.SafePath.FileName(arch, "Arch"), "comps", $"comps-{arch}.xml");

    /// <summary><c>work/x86_64/comps/comps-Server.x86_64.xml</c>: the per variant.arch comps that ships.</summary>
    public static string ForVariant(string workDir, string variantUid, string arch)
        => Path.Combine(workDir, Compose.SafePath.FileName(arch, "Arch"), "comps",
            Compose.SafePath.FileName($"comps-{variantUid}.{arch}.xml", "Variant UID in a comps file name"));

    /// <summary><c>work/x86_64/comps_repo</c>: repodata holding only the arch comps.</summary>
    public static string ArchRepo(string workDir, string arch) => Path.Combine(workDir, arch, "comps_repo");

    /// <summary><c>work/x86_64/comps_repo_Server</c>: repodata holding only the variant comps.</summary>
    public static string VariantRepo(string workDir, string variantUid, string arch) => Path.Combine(workDir, arch, $"comps_repo_{variantUid}");
}
