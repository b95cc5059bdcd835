using Pungi.Build.Diagnostics;

namespace Pungi.Build.Comps;

/// <summary>A variants.xml <c>&lt;group&gt;</c> entry: id (or fnmatch pattern when <paramref name="Glob"/>) and the
/// <c>default</c>/<c>uservisible</c> overrides (null = keep the comps value). File and line point at variants.xml.</summary>
public sealed record VariantGroupRef(string Id, bool Glob = false, bool? Default = null, bool? UserVisible = null, string? File = null, int Line = 0);

/// <summary>A variants.xml <c>&lt;environment&gt;</c> entry with its optional <c>display_order</c> override.</summary>
public sealed record VariantEnvironmentRef(string Id, int? DisplayOrder = null, string? File = null, int Line = 0);

/// <summary>What the comps step needs to know of one variant (kept apart from the variant model on purpose).</summary>
/// <param name="Uid">The variant UID (<c>Server-optional</c>).</param>
/// <param name="Type"><c>variant</c>, <c>addon</c>, <c>optional</c> or <c>layered-product</c>.</param>
/// <param name="Groups">The <c>&lt;groups&gt;</c> entries (empty when the element is absent).</param>
/// <param name="Environments">The <c>&lt;environments&gt;</c> entries.</param>
/// <param name="HasModules">True when the variant has a <c>&lt;modules&gt;</c> element (even empty) or module Koji tags.</param>
/// <param name="LookasideGroups">Group names environments may reference though this variant lacks them: the parent's
/// variants.xml group names plus those of every <c>variant_as_lookaside</c> variant (see <see cref="LookasideGroupsOf"/>).</param>
public sealed record VariantCompsSpec(
    string Uid,
    string Type,
    IReadOnlyList<VariantGroupRef> Groups,
    IReadOnlyList<VariantEnvironmentRef> Environments,
    bool HasModules = false,
    IReadOnlyList<string>? LookasideGroups = null)
{
    /// <summary>Upstream <c>get_lookaside_groups</c>: the group names (patterns taken literally) listed in variants.xml
    /// for the parent and for the variants this one uses as lookaside.</summary>
    public static IReadOnlyList<string> LookasideGroupsOf(IEnumerable<VariantGroupRef>? parentGroups, IEnumerable<IEnumerable<VariantGroupRef>>? lookasideVariantGroups)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        if (parentGroups != null)
            set.UnionWith(parentGroups.Select(g => g.Id));
        foreach (var groups in lookasideVariantGroups ?? [])
            set.UnionWith(groups.Select(g => g.Id));
        return set.ToList();
    }
}

/// <summary>
/// Spec §4.3 (Pungi's <c>write_variant_comps</c> with <c>CompsWrapper.filter_groups</c>/<c>filter_environments</c>):
/// keep only the variant's groups and environments, applying its flag overrides.
/// </summary>
public static class VariantCompsFilter
{
    public static CompsModel Apply(CompsModel comps, VariantCompsSpec variant, string arch, bool filterEnvironments, ICollection<CompsDiagnostic> diagnostics)
    {
        var result = comps;

        // Groups are filtered when the variant lists any, is modular, or is not a top-level variant; a plain variant
        // without <groups> keeps every group.
        if (variant.Groups.Count > 0 || variant.HasModules || variant.Type != "variant")
        {
            var kept = new List<CompsGroup>();
            foreach (var group in comps.Groups)
            {
                // First matching entry wins, as upstream's for/break.
                var entry = variant.Groups.FirstOrDefault(r => Matches(group.Id, r));
                if (entry is null)
                    continue;
                kept.Add(group with
                {
                    Default = entry.Default ?? group.Default,
                    UserVisible = entry.UserVisible ?? group.UserVisible,
                });
            }
            result = result with { Groups = kept };

            foreach (var entry in variant.Groups)
            {
                if (!kept.Any(g => Matches(g.Id, entry)))
                    diagnostics.Add(new CompsDiagnostic(ErrorCodes.CompsUnmatchedVariantGroup,
                        $"Variant {variant.Uid}.{arch} requires comps group {entry.Id} which does not match anything in input comps file",
                        entry.File ?? comps.File, entry.Line));
            }
        }

        // Environments: only with comps_filter_environments and when the variant names groups or environments.
        bool containsAll = variant.Groups.Count == 0 && variant.Environments.Count == 0;
        if (filterEnvironments && !containsAll)
        {
            var kept = new List<CompsEnvironment>();
            foreach (var env in result.Environments)
            {
                var entry = variant.Environments.FirstOrDefault(e => e.Id == env.Id);
                if (entry is null)
                    continue;
                kept.Add(entry.DisplayOrder is { } order ? env with { DisplayOrder = order } : env);
            }
            result = result with { Environments = kept };

            // Upstream is silent here; a name that matches nothing is almost always a typo, so we say so.
            foreach (var entry in variant.Environments.Where(e => !kept.Any(k => k.Id == e.Id)))
                diagnostics.Add(new CompsDiagnostic(ErrorCodes.CompsUnmatchedVariantEnvironment,
                    $"Variant {variant.Uid}.{arch} lists comps environment {entry.Id} which is not in the comps file for this arch",
                    entry.File ?? comps.File, entry.Line));
        }

        return result;
    }

    private static bool Matches(string groupId, VariantGroupRef entry)
        => entry.Glob ? FnMatch.IsMatch(groupId, entry.Id) : groupId == entry.Id;
}
