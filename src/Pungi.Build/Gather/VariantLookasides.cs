using System.Security.Cryptography;
using System.Text;
using Pungi.Build.Compose;
using Pungi.Build.Repodata;
using Pungi.Build.Rpm;
using Pungi.Build.Variants;

namespace Pungi.Build.Gather;

/// <summary>One <c>variant_as_lookaside</c> repository as the depsolver sees it: what it is (for the memo key) and its packages.</summary>
public sealed record VariantLookaside(string Variant, string Identity, IReadOnlyList<RpmPackage> Packages);

/// <summary>
/// <c>variant_as_lookaside</c> (spec §3.9): before a variant is gathered on an arch its lookaside variant has, that
/// variant's already gathered packages — all of this arch's, then its SRPMs from every arch — become a lookaside
/// repository: once per (lookaside variant, arch), listed in <c>work/&lt;arch&gt;/package_list/&lt;LV&gt;.&lt;arch&gt;.lookaside.conf</c>
/// and written as <c>work/&lt;arch&gt;/&lt;LV&gt;/lookaside_repo</c> (which Repoclosure reads too). Its packages are
/// flagged lookaside in the variant and never linked into it.
/// </summary>
/// <param name="byPath">The package of an arch's package set at a path.</param>
internal sealed class VariantLookasides(GatherPhaseRequest request, Dictionary<string, Dictionary<string, PackageMap>> maps,
    Func<string, string, RpmPackage?> byPath)
{
    private readonly Dictionary<(string Variant, string Arch), VariantLookaside> _made = [];

    /// <summary>The lookaside repositories of <paramref name="variant"/> on <paramref name="arch"/>, in configured order.</summary>
    public IReadOnlyList<VariantLookaside> For(Variant variant, string arch)
    {
        var result = new List<VariantLookaside>();
        foreach (var (v, l) in request.VariantAsLookaside)
        {
            if (v != variant.Uid || request.Variants.Find(l) is not { } lv || !lv.HasArch(arch)) continue;
            if (!_made.TryGetValue((l, arch), out var made)) _made[(l, arch)] = made = Make(lv, arch);
            result.Add(made);
        }
        return result;
    }

    private VariantLookaside Make(Variant lv, string arch)
    {
        var files = new List<(string Path, string Arch)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (maps.TryGetValue(arch, out var here) && here.TryGetValue(lv.Uid, out var own))
            foreach (var type in PackageMap.Types)
                foreach (var e in own[type])
                    if (seen.Add(e.Path)) files.Add((e.Path, arch));
        foreach (var (a, byVariant) in maps.OrderBy(m => m.Key, StringComparer.Ordinal))
            if (a != arch && byVariant.TryGetValue(lv.Uid, out var other))
                foreach (var e in other.Srpm)
                    if (seen.Add(e.Path)) files.Add((e.Path, a));

        // Locations relative to / under xml:base file:/// (upstream: relative to the path prefix under its file:// URL).
        var packages = new List<RpmPackage>(files.Count);
        foreach (var (path, a) in files)
            if (byPath(a, path) is { } p) packages.Add(p.WithLocation(path.TrimStart('/')));
        var list = string.Concat(files.Select(f => f.Path.TrimStart('/') + "\n"));
        var layout = request.Layout;
        var listPath = layout.PackageList(arch, lv, "lookaside");
        var repo = layout.LookasideRepo(arch, lv);
        Directory.CreateDirectory(Path.GetDirectoryName(listPath)!);
        if (AtomicFile.WriteIfChanged(listPath, list) || !File.Exists(Path.Combine(repo, "repodata", "repomd.xml")))
            // Reproducible as Createrepo's: without SOURCE_DATE_EPOCH the revision is the newest build time, not the clock.
            RepodataWriter.Write(repo, packages, new RepodataOptions
            {
                BaseUrl = "file:///",
                Timestamp = string.IsNullOrEmpty(Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH")) ? packages.Select(p => p.BuildTime).DefaultIfEmpty(0).Max() : null,
            });
        var identity = $"variant:{lv.Uid}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(list)))}";
        return new VariantLookaside(lv.Uid, identity, packages);
    }
}
