using Pungi.Build.Diagnostics;
using Pungi.Build.Rpm;

namespace Pungi.Build.Gather;

/// <summary>What one variant.arch asks the depsolver for (spec §3.2): packages, groups, filters, prepopulate.</summary>
public sealed class VariantGatherInput
{
    public HashSet<(string Name, string? Arch)> Packages { get; } = [];
    public HashSet<string> Groups { get; } = new(StringComparer.Ordinal);
    public HashSet<(string Name, string? Arch)> Filters { get; } = [];
    public List<string> Prepopulate { get; } = [];
}

/// <summary>
/// Gather inputs as Pungi computes them (<c>get_variant_packages</c>, the kickstart of <c>pungi-gather</c>, §3.2 and
/// §3.3.2): name.arch splitting, additional packages, system-release selection, inheritance for optional, addon and
/// layered-product variants, and the kickstart's package lines with the group expansion <c>pungi-gather</c> does.
/// </summary>
public static class GatherSources
{
    /// <summary><c>split_name_arch</c>: the suffix is an arch only if it is a known arch, noarch, src or nosrc.</summary>
    public static (string Name, string? Arch) SplitNameArch(string nameArch)
    {
        int dot = nameArch.LastIndexOf('.');
        if (dot > 0 && GatherArches.KnownArches.Contains(nameArch[(dot + 1)..]))
            return (nameArch[..dot], nameArch[(dot + 1)..]);
        return (nameArch, null);
    }

    /// <summary>An <c>additional_packages</c> entry; its arch must be valid for the tree (multilib included).</summary>
    public static (string Name, string? Arch) ParseAdditional(string entry, string treeArch)
    {
        var (name, arch) = SplitNameArch(entry);
        if (arch is not null && !GatherArches.ValidArches(treeArch, multilib: true, addSource: true).Contains(arch))
            throw new PungiException(ErrorCodes.GatherIncompatibleArch,
                $"Package '{entry}' asks for arch '{arch}', which a {treeArch} tree cannot carry.");
        return (name, arch);
    }

    /// <summary>
    /// <c>filter_system_release_packages</c>: among the packages providing <c>system-release</c>, none → nothing,
    /// one → add it, several → for a <c>variant</c> the first named <c>…release-&lt;uid&gt;</c> or
    /// <c>&lt;uid&gt;-release…</c> (lower-cased uid), else the first in sort order; the others are filtered.
    /// Non-variant types take their parent's choice (pass the parent as <paramref name="variant"/>).
    /// </summary>
    public static (RpmPackage? Add, IReadOnlyList<RpmPackage> Filter) SelectSystemRelease(IEnumerable<RpmPackage> archPackages, GatherVariant variant)
    {
        var candidates = archPackages.Where(p => !p.IsSource && p.Provides.Any(d => d.Name == "system-release"))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Evr, Comparer<Evr>.Create(Evr.ComparePackages))
            .ThenBy(p => p.Arch, StringComparer.Ordinal).ToList();
        if (candidates.Count == 0) return (null, []);
        if (candidates.Count == 1) return (candidates[0], []);
        string uid = variant.Uid.ToLowerInvariant();
        var best = candidates.FirstOrDefault(p => p.Name.EndsWith("release-" + uid, StringComparison.Ordinal)
            || p.Name.StartsWith(uid + "-release", StringComparison.Ordinal)) ?? candidates[0];
        return (best, candidates.Where(p => p.Name != best.Name).ToList());
    }

    /// <summary>
    /// Union of packages and groups (never filters) an optional, addon or layered-product variant inherits:
    /// addon and layered product take the parent's; optional takes the parent's and those of the parent's
    /// variant/addon/layered-product children (itself excluded).
    /// </summary>
    public static void Inherit(VariantGatherInput target, GatherVariant variant, IReadOnlyList<GatherVariant> all,
        Func<GatherVariant, VariantGatherInput> inputOf)
    {
        if (variant.ParentUid is null) return;
        var parent = all.First(v => v.Uid == variant.ParentUid);
        IEnumerable<GatherVariant> sources = variant.Type switch
        {
            "optional" => all.Where(v => v.Uid == parent.Uid
                || (v.ParentUid == parent.Uid && v.Uid != variant.Uid && v.Type is "variant" or "addon" or "layered-product")),
            "addon" or "layered-product" => [parent],
            _ => [],
        };
        foreach (var s in sources)
        {
            var i = inputOf(s);
            target.Packages.UnionWith(i.Packages);
            target.Groups.UnionWith(i.Groups);
        }
    }

    /// <summary>Fulltree and selfhosting per variant type: optional both on, addon/layered-product fulltree only.</summary>
    public static (bool Fulltree, bool Selfhosting) Options(string variantType, bool gatherFulltree, bool gatherSelfhosting)
        => variantType switch
        {
            "optional" => (true, true),
            "addon" or "layered-product" => (true, false),
            _ => (gatherFulltree, gatherSelfhosting),
        };

    /// <summary>
    /// The %packages lines <c>pungi-gather</c> works from: each group's mandatory, default and optional members
    /// (<c>@group --optional</c>), the packages as <c>name</c> or <c>name.arch</c>, the filters as <c>-name[.arch]</c>;
    /// conditional members become conditional packages. Groups missing from comps are returned in MissingGroups.
    /// An input without groups, packages and prepopulate is an error, as upstream.
    /// </summary>
    public static (List<string> Packages, List<ConditionalPackage> Conditional, List<string> MissingGroups) Kickstart(
        VariantGatherInput input, IReadOnlyList<GatherGroup> comps, string variantUid, string arch)
    {
        if (input.Groups.Count == 0 && input.Packages.Count == 0 && input.Prepopulate.Count == 0)
            throw new PungiException(ErrorCodes.GatherEmptyInput,
                $"No packages, groups or prepopulate to gather for {variantUid}.{arch}.");
        var lines = new List<string>();
        var conditional = new List<ConditionalPackage>();
        var missing = new List<string>();
        foreach (var id in input.Groups.Order(StringComparer.Ordinal))
        {
            var group = comps.FirstOrDefault(g => g.Id == id);
            if (group is null) { missing.Add(id); continue; }
            foreach (var p in group.Packages)
            {
                if (p.Type == "conditional")
                {
                    if (p.Requires is not null) conditional.Add(new ConditionalPackage(p.Requires, p.Name));
                }
                else lines.Add(p.Name);
            }
        }
        lines.AddRange(input.Packages.Select(p => p.Arch is null ? p.Name : $"{p.Name}.{p.Arch}").Order(StringComparer.Ordinal));
        lines.AddRange(input.Filters.Select(p => "-" + (p.Arch is null ? p.Name : $"{p.Name}.{p.Arch}")).Order(StringComparer.Ordinal));
        return (lines, conditional, missing);
    }
}
