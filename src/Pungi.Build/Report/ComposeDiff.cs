using Pungi.Build.Rpm;

namespace Pungi.Build.Report;

public enum PackageChangeKind { Added, Removed, Upgraded, Downgraded, ArchChanged }

/// <summary>One changed package; <see cref="Old"/> is null for an added one, <see cref="New"/> for a removed one.</summary>
public sealed record PackageChange(PackageChangeKind Kind, string Name, string Category, PackageRef? Old, PackageRef? New);

public enum ImageChangeKind { Added, Removed, Changed }

/// <summary>An image added, removed, or present in both with another size.</summary>
public sealed record ImageChange(ImageChangeKind Kind, ImageRef? Old, ImageRef? New)
{
    public long SizeDelta => (New?.Size ?? 0) - (Old?.Size ?? 0);
}

/// <summary>What changed in one variant.arch.</summary>
public sealed class VariantArchChanges(string variantArch)
{
    public string VariantArch { get; } = variantArch;
    public int OldPackages { get; set; }
    public int NewPackages { get; set; }
    public long OldImageBytes { get; set; }
    public long NewImageBytes { get; set; }
    public List<PackageChange> Packages { get; } = [];
    public List<ImageChange> Images { get; } = [];

    public int Count(PackageChangeKind kind) => Packages.Count(p => p.Kind == kind);
    public bool IsEmpty => Packages.Count == 0 && Images.Count == 0 && OldPackages == NewPackages && OldImageBytes == NewImageBytes;
}

/// <summary>
/// The change list between two composes (issue #15): per variant.arch, packages added, removed, upgraded and
/// downgraded by NEVRA (EVR compared with rpm's <c>rpmvercmp</c>, epoch first), images added, removed or changed by
/// productmd's image identity, and the size deltas of the images.
/// </summary>
public sealed class ComposeDiff
{
    public required string OldId { get; init; }
    public required string NewId { get; init; }
    public List<VariantArchChanges> VariantArches { get; } = [];

    public int Total(PackageChangeKind kind) => VariantArches.Sum(v => v.Count(kind));
    public int TotalImages(ImageChangeKind kind) => VariantArches.Sum(v => v.Images.Count(i => i.Kind == kind));

    public static ComposeDiff Compare(ComposeManifest oldCompose, ComposeManifest newCompose)
    {
        if (!oldCompose.PackagesLoaded || !newCompose.PackagesLoaded)
            throw new ArgumentException("a compose diff needs the packages of both composes, not only their counts");
        var diff = new ComposeDiff { OldId = oldCompose.ComposeId ?? oldCompose.ComposeDir, NewId = newCompose.ComposeId ?? newCompose.ComposeDir };
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        keys.UnionWith(oldCompose.Packages.Keys);
        keys.UnionWith(newCompose.Packages.Keys);
        keys.UnionWith(oldCompose.Images.Keys);
        keys.UnionWith(newCompose.Images.Keys);
        foreach (var key in keys)
        {
            var va = new VariantArchChanges(key);
            var oldPkgs = oldCompose.Packages.GetValueOrDefault(key) ?? [];
            var newPkgs = newCompose.Packages.GetValueOrDefault(key) ?? [];
            va.OldPackages = oldPkgs.Count;
            va.NewPackages = newPkgs.Count;
            va.Packages.AddRange(ComparePackages(oldPkgs, newPkgs));
            var oldImages = oldCompose.Images.GetValueOrDefault(key) ?? [];
            var newImages = newCompose.Images.GetValueOrDefault(key) ?? [];
            va.OldImageBytes = oldImages.Sum(i => i.Size);
            va.NewImageBytes = newImages.Sum(i => i.Size);
            va.Images.AddRange(CompareImages(oldImages, newImages));
            diff.VariantArches.Add(va);
        }
        return diff;
    }

    /// <summary>
    /// Packages are matched by (category, name, arch); whatever is left is matched by (category, name) so a package
    /// that moved from noarch to an arch (or back) is one change, not a removal and an addition. Equal NEVRAs are
    /// unchanged; otherwise the EVRs decide upgrade or downgrade (<see cref="Evr.ComparePackages"/>: epoch, version,
    /// release with rpmvercmp), and an equal EVR on another arch is an arch change. Several versions of one name.arch
    /// (installonly packages) are paired newest with newest; the rest are added or removed.
    /// </summary>
    public static List<PackageChange> ComparePackages(IReadOnlyList<PackageRef> oldPkgs, IReadOnlyList<PackageRef> newPkgs)
    {
        var changes = new List<PackageChange>();
        var newNevras = new HashSet<(string, string)>(newPkgs.Select(p => (p.Category, p.Nevra)));
        var oldNevras = new HashSet<(string, string)>(oldPkgs.Select(p => (p.Category, p.Nevra)));
        var oldLeft = oldPkgs.Where(p => !newNevras.Contains((p.Category, p.Nevra))).ToList();
        var newLeft = newPkgs.Where(p => !oldNevras.Contains((p.Category, p.Nevra))).ToList();

        var unmatchedOld = new List<PackageRef>();
        var unmatchedNew = new List<PackageRef>();
        Pair(oldLeft, newLeft, p => (p.Category, p.Name, p.Arch), changes, unmatchedOld, unmatchedNew);
        var restOld = new List<PackageRef>();
        var restNew = new List<PackageRef>();
        Pair(unmatchedOld, unmatchedNew, p => (p.Category, p.Name, ""), changes, restOld, restNew);
        changes.AddRange(restOld.Select(p => new PackageChange(PackageChangeKind.Removed, p.Name, p.Category, p, null)));
        changes.AddRange(restNew.Select(p => new PackageChange(PackageChangeKind.Added, p.Name, p.Category, null, p)));
        changes.Sort((a, b) =>
        {
            int c = string.CompareOrdinal(a.Name, b.Name);
            if (c != 0) return c;
            c = string.CompareOrdinal(a.Category, b.Category);
            return c != 0 ? c : string.CompareOrdinal((a.New ?? a.Old)!.Arch, (b.New ?? b.Old)!.Arch);
        });
        return changes;
    }

    private static void Pair(List<PackageRef> oldPkgs, List<PackageRef> newPkgs, Func<PackageRef, (string, string, string)> key,
        List<PackageChange> changes, List<PackageRef> unmatchedOld, List<PackageRef> unmatchedNew)
    {
        var byKey = newPkgs.GroupBy(key).ToDictionary(g => g.Key, g => g.OrderByDescending(p => p.Evr, EvrOrder).ToList());
        foreach (var group in oldPkgs.GroupBy(key))
        {
            var olds = group.OrderByDescending(p => p.Evr, EvrOrder).ToList();
            if (!byKey.Remove(group.Key, out var news))
            {
                unmatchedOld.AddRange(olds);
                continue;
            }
            int n = Math.Min(olds.Count, news.Count);
            for (int i = 0; i < n; i++)
            {
                var (o, nw) = (olds[i], news[i]);
                int c = Evr.ComparePackages(o.Evr, nw.Evr);
                var kind = c < 0 ? PackageChangeKind.Upgraded : c > 0 ? PackageChangeKind.Downgraded : PackageChangeKind.ArchChanged;
                changes.Add(new PackageChange(kind, o.Name, o.Category, o, nw));
            }
            unmatchedOld.AddRange(olds.Skip(n));
            unmatchedNew.AddRange(news.Skip(n));
        }
        foreach (var rest in byKey.Values)
            unmatchedNew.AddRange(rest);
    }

    private static readonly IComparer<Evr> EvrOrder = Comparer<Evr>.Create(Evr.ComparePackages);

    /// <summary>
    /// Images are matched by productmd's identity key; a match with another size is a change (file names carry the
    /// compose ID, so a new name alone is not one).
    /// </summary>
    public static List<ImageChange> CompareImages(IReadOnlyList<ImageRef> oldImages, IReadOnlyList<ImageRef> newImages)
    {
        var changes = new List<ImageChange>();
        var byKey = new Dictionary<string, ImageRef>(StringComparer.Ordinal);
        foreach (var i in newImages) byKey.TryAdd(i.Key, i);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var o in oldImages)
        {
            if (!seen.Add(o.Key)) continue;
            if (!byKey.Remove(o.Key, out var n))
                changes.Add(new ImageChange(ImageChangeKind.Removed, o, null));
            else if (n.Size != o.Size)
                changes.Add(new ImageChange(ImageChangeKind.Changed, o, n));
        }
        foreach (var n in newImages)
            if (byKey.Remove(n.Key))
                changes.Add(new ImageChange(ImageChangeKind.Added, null, n));
        return changes;
    }
}
