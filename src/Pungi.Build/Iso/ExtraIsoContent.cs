using Pungi.Build.Metadata;

namespace Pungi.Build.Iso;

/// <summary>One variant on a unified ISO: its packages and repository directories on disk.</summary>
public sealed record ExtraIsoVariantTree(string Uid, string Id, string Name, string PackagesDir, string RepositoryDir);

/// <summary>
/// What an <c>extra_isos</c> image holds (spec §2.9): when bootable, the Buildinstall output (the boot directories
/// of the variant's os tree, where Buildinstall links lorax's output); then for the variant and every included variant
/// <c>&lt;uid&gt;/Packages/…</c> and <c>&lt;uid&gt;/repodata/…</c>; a tweaked <c>.treeinfo</c> with <c>[media]</c> and
/// all those variants (<c>packages = &lt;uid&gt;/Packages</c>, <c>repository = &lt;uid&gt;</c>); the staged
/// <c>.discinfo</c> and <c>media.repo</c> last.
/// </summary>
public static class ExtraIsoContent
{
    /// <summary>The top-level directories lorax leaves in a tree (x86 isolinux, EFI, images, ppc and s390 boot files).</summary>
    public static readonly IReadOnlyList<string> BootDirectories = ["EFI", "images", "isolinux", "ppc", "boot", "etc"];

    public static List<IsoGraft> Grafts(string? bootTree, IReadOnlyList<ExtraIsoVariantTree> variants, IEnumerable<IsoGraft> staged)
    {
        var grafts = new List<IsoGraft>();
        if (bootTree is not null)
            foreach (var dir in BootDirectories)
                if (Directory.Exists(Path.Combine(bootTree, dir)))
                    grafts.Add(new IsoGraft(dir, Path.Combine(bootTree, dir)));
        foreach (var v in variants)
        {
            if (Directory.Exists(v.PackagesDir)) grafts.Add(new IsoGraft(v.Uid + "/Packages", v.PackagesDir));
            var repodata = Path.Combine(v.RepositoryDir, "repodata");
            if (Directory.Exists(repodata)) grafts.Add(new IsoGraft(v.Uid + "/repodata", repodata));
        }
        grafts.AddRange(staged);
        return grafts;
    }

    /// <summary>
    /// The unified image's <c>.treeinfo</c>: the main variant's tree metadata with disc 1 of 1, no <c>boot.iso</c>,
    /// and every variant as a top-level <c>variant</c> with <c>&lt;uid&gt;/Packages</c> and repository <c>&lt;uid&gt;</c>.
    /// </summary>
    public static TreeInfo Treeinfo(TreeInfo main, IReadOnlyList<ExtraIsoVariantTree> variants)
    {
        main.DiscNum = 1;
        main.TotalDiscs = 1;
        var bootIsos = new HashSet<string>(StringComparer.Ordinal);
        foreach (var images in main.Images.Values)
            if (images.Remove("boot.iso", out var path)) bootIsos.Add(path);
        foreach (var path in bootIsos) main.Checksums.Remove(path);
        main.Variants.Clear();
        foreach (var v in variants)
            main.Variants.Add(new TreeInfoVariant { Id = v.Id, Uid = v.Uid, Name = v.Name, Type = "variant", Packages = v.Uid + "/Packages", Repository = v.Uid });
        return main;
    }
}
