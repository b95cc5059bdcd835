using Pungi.Build.Gather;

namespace Pungi.Build.Tasks;

/// <summary>
/// The linking step of Gather (spec §2.4), per variant.arch: binaries into <c>os/Packages</c>, debuginfo into
/// <c>debug/tree/Packages</c>, SRPMs (the <c>src</c> instance) into <c>source/tree/Packages</c>.
/// </summary>
public sealed class LinkPackages : VariantArchTask
{
    public string? LinkType { get; set; }
    public string? HashedDirectories { get; set; }

    protected override void ExecutePhase()
    {
        var (_, v) = LoadVariant();
        if (v.IsEmpty) return;
        var layout = Layout;
        var linkType = PackageLinker.ParseLinkType(LinkType);
        bool hashed = ConfigItems.Bool(HashedDirectories, false);
        if (Arch == "src")
        {
            var srpms = SourceArches(v).SelectMany(a => ReadList(layout.PackageList(a, v, "srpm"))).Distinct(StringComparer.Ordinal).ToList();
            var r = PackageLinker.Link(srpms, layout.Packages(v, "src"), linkType, hashed, CancellationToken);
            LogProgress($"Link {Variant}.src: {srpms.Count} SRPMs ({r.Linked} linked, {r.Removed} removed)");
            return;
        }
        var rpms = ReadList(layout.PackageList(Arch, v, "rpm")).ToList();
        var debug = ReadList(layout.PackageList(Arch, v, "debuginfo")).ToList();
        var a = PackageLinker.Link(rpms, layout.Packages(v, Arch), linkType, hashed, CancellationToken);
        var d = debug.Count > 0 || Directory.Exists(layout.DebugPackages(v, Arch))
            ? PackageLinker.Link(debug, layout.DebugPackages(v, Arch), linkType, hashed, CancellationToken)
            : (0, 0, 0);
        LogProgress($"Link {Variant}.{Arch}: {rpms.Count} RPMs ({a.Linked} linked, {a.Removed} removed), {debug.Count} debuginfo ({d.Item1} linked)");
    }
}
