namespace Pungi.Build.Gather;

/// <summary>A variant as trimming sees it: uid, type (variant, addon, layered-product, optional) and parent uid.</summary>
public sealed record GatherVariant(string Uid, string Type = "variant", string? ParentUid = null);

/// <summary>
/// Trimming of addons, layered products and optional variants against their parents (spec §3.10, Pungi's
/// <c>_trim_variants</c>/<c>trim_packages</c>): addons first (moving to the parent), then layered products (minus
/// the addons' packages, keeping their own SRPMs and debuginfo), then optional (minus both, nothing moved).
/// </summary>
public static class VariantTrimmer
{
    /// <summary>
    /// Trims <paramref name="result"/> (arch → variant uid → package map) in place. <paramref name="variants"/> lists
    /// every variant in gather order; a variant is trimmed on an arch only where the result has it.
    /// </summary>
    public static void TrimAll(IDictionary<string, Dictionary<string, PackageMap>> result, IReadOnlyList<GatherVariant> variants)
    {
        var addons = Trim(result, variants, "addon", removePkgs: null, moveToParent: true);
        var lps = Trim(result, variants, "layered-product", removePkgs: addons, moveToParent: true);
        foreach (var t in PackageMap.Types) addons[t].UnionWith(lps[t]);
        Trim(result, variants, "optional", removePkgs: addons, moveToParent: false);
    }

    /// <summary>One <c>_trim_variants</c> pass; returns the names kept in the trimmed variants, per package type.</summary>
    public static Dictionary<string, HashSet<string>> Trim(
        IDictionary<string, Dictionary<string, PackageMap>> result,
        IReadOnlyList<GatherVariant> variants,
        string variantType,
        Dictionary<string, HashSet<string>>? removePkgs,
        bool moveToParent)
    {
        var included = PackageMap.Types.ToDictionary(t => t, _ => new HashSet<string>(StringComparer.Ordinal));
        foreach (var (arch, byVariant) in result.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            foreach (var variant in variants.Where(v => v.Type == variantType && v.ParentUid is not null))
            {
                if (!byVariant.TryGetValue(variant.Uid, out var map)) continue;
                if (!byVariant.TryGetValue(variant.ParentUid!, out var parentMap))
                    byVariant[variant.ParentUid!] = parentMap = new PackageMap();
                var parentKeys = PackageMap.Types.ToDictionary(t => t, t => parentMap[t].Select(e => e.NameArch).ToHashSet());
                foreach (var type in PackageMap.Types)
                {
                    var kept = new List<PackageEntry>();
                    var moved = new List<PackageEntry>();
                    foreach (var pkg in map[type])
                    {
                        if (string.IsNullOrEmpty(pkg.Path)) continue;
                        var key = pkg.NameArch;
                        if (removePkgs is not null && removePkgs[type].Contains(key.Name))
                        {
                            // Layered products keep addon SRPMs and debuginfo: users may not have the addon (GPL).
                            if (variant.Type == "layered-product" && type is "srpm" or "debuginfo") kept.Add(pkg);
                        }
                        else if (!parentKeys[type].Contains(key))
                        {
                            if (pkg.HasFlag("fulltree-exclude") && !pkg.HasFlag("input"))
                                moved.Add(pkg); // built from a parent SRPM and not asked for: belongs to the parent
                            else
                            {
                                kept.Add(pkg);
                                included[type].Add(key.Name);
                            }
                        }
                        // else: the parent has it already, drop it here.
                    }
                    map[type].Clear();
                    map[type].AddRange(kept);
                    if (moveToParent)
                        foreach (var pkg in moved)
                            if (!parentMap[type].Any(e => e.Path == pkg.Path && e.Flags.SequenceEqual(pkg.Flags))) parentMap[type].Add(pkg);
                }
            }
        }
        return included;
    }
}
