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
    /// <summary>
    /// The <c>json</c> gather source (spec §3.2, upstream <c>GatherSourceJson</c>): <c>gather_source_mapping</c> is
    /// <c>{variant: {arch: {rpm_name: [rpm_arch or null, …]}}}</c>; each (name, arch) pair of the variant and tree arch
    /// is asked for; a null <paramref name="variantUid"/> takes the union over all variants. It gives no groups.
    /// </summary>
    public static HashSet<(string Name, string? Arch)> JsonSourcePackages(string mappingJson, string? variantUid, string arch, string? file = null)
    {
        var result = new HashSet<(string, string?)>();
        using var doc = ParseJson(mappingJson, file, "gather_source_mapping");
        foreach (var variant in doc.RootElement.EnumerateObject())
        {
            if (variantUid is not null && variant.Name != variantUid) continue;
            if (variant.Value.ValueKind != System.Text.Json.JsonValueKind.Object || !variant.Value.TryGetProperty(arch, out var byName)) continue;
            foreach (var pkg in byName.EnumerateObject())
                foreach (var a in pkg.Value.EnumerateArray())
                    result.Add((pkg.Name, a.ValueKind == System.Text.Json.JsonValueKind.Null ? null : a.GetString()));
        }
        return result;
    }

    /// <summary>
    /// <c>get_prepopulate_packages</c> (spec §3.2): <c>work/global/prepopulate.json</c> is
    /// <c>{variant: {arch: {build: ["name.arch", …]}}}</c>; the entries of the variant and tree arch, each arch checked
    /// against the tree's compatible arches (multilib included) — an incompatible one is an error, as upstream's ValueError.
    /// </summary>
    public static List<string> PrepopulatePackages(string prepopulateJson, string variantUid, string arch, string? file = null)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        using var doc = ParseJson(prepopulateJson, file, "gather_prepopulate");
        if (!doc.RootElement.TryGetProperty(variantUid, out var byArch) || byArch.ValueKind != System.Text.Json.JsonValueKind.Object
            || !byArch.TryGetProperty(arch, out var byBuild) || byBuild.ValueKind != System.Text.Json.JsonValueKind.Object)
            return [];
        var compatible = GatherArches.ValidArches(arch, multilib: true, addSource: true);
        foreach (var build in byBuild.EnumerateObject())
            foreach (var entry in build.Value.EnumerateArray())
            {
                var nameArch = entry.GetString() ?? "";
                var (_, pkgArch) = SplitNameArch(nameArch);
                if (pkgArch is null || !compatible.Contains(pkgArch))
                    throw new PungiException(ErrorCodes.GatherIncompatibleArch,
                        $"Incompatible package arch '{pkgArch}' for tree arch '{arch}' in prepopulate package '{nameArch}'", file);
                result.Add(nameArch);
            }
        return result.ToList();
    }

    private static System.Text.Json.JsonDocument ParseJson(string json, string? file, string what)
    {
        try
        {
            var doc = System.Text.Json.JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                doc.Dispose();
                throw new PungiException(ErrorCodes.GatherBadJsonInput, $"The {what} file must hold a JSON object.", file);
            }
            return doc;
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new PungiException(ErrorCodes.GatherBadJsonInput, $"The {what} file is not valid JSON: {e.Message}", file, (int)(e.LineNumber ?? 0) + 1);
        }
    }

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
