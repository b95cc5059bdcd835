using Pungi.Build.Diagnostics;

namespace Pungi.Build.Variants;

/// <summary>
/// Pungi <c>Compose.get_ordered_variant_uids</c> (spec §1.5): the order gather processes variants in when
/// <c>variant_as_lookaside</c> makes one variant's packages the lookaside of another.
/// </summary>
public static class VariantOrder
{
    /// <summary>
    /// Variants not named in any pair first (A–Z), then the named ones in dependency order: a lookaside variant
    /// before the variants that use it (ties A–Z). <paramref name="pairs"/> are (variant, lookaside variant) UIDs.
    /// </summary>
    public static IReadOnlyList<string> Ordered(VariantModel model, IEnumerable<(string Variant, string Lookaside)> pairs)
    {
        var edges = pairs.ToList();
        var named = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (v, l) in edges)
        {
            foreach (var uid in new[] { v, l })
                if (model.Find(uid) is null)
                    throw new PungiException(ErrorCodes.VariantLookasideCycle, $"variant_as_lookaside names '{uid}', which is no variant UID.");
            if (v == l)
                throw new PungiException(ErrorCodes.VariantLookasideCycle, $"variant_as_lookaside: '{v}' cannot be its own lookaside.");
            named.Add(v);
            named.Add(l);
        }
        var unordered = model.All.Select(v => v.Uid).Where(u => !named.Contains(u)).Order(StringComparer.Ordinal).ToList();

        // Kahn's algorithm: a variant is ready when every lookaside it needs has been placed.
        var needs = named.ToDictionary(u => u, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var (v, l) in edges)
            needs[v].Add(l);
        var ordered = new List<string>();
        var ready = new SortedSet<string>(named.Where(u => needs[u].Count == 0), StringComparer.Ordinal);
        while (ready.Count > 0)
        {
            var next = ready.Min!;
            ready.Remove(next);
            ordered.Add(next);
            foreach (var (u, n) in needs)
                if (n.Remove(next) && n.Count == 0)
                    ready.Add(u);
        }
        if (ordered.Count != named.Count)
            throw new PungiException(ErrorCodes.VariantLookasideCycle,
                $"variant_as_lookaside forms a cycle between {string.Join(", ", named.Except(ordered))}.");
        return unordered.Concat(ordered).ToList();
    }

    /// <summary>
    /// Upstream's config validation of <c>variant_as_lookaside</c>: both UIDs name variants, no cycle (see
    /// <see cref="Ordered"/>), and every arch of the requiring variant is an arch of its lookaside variant.
    /// </summary>
    public static void Validate(VariantModel model, IEnumerable<(string Variant, string Lookaside)> pairs)
    {
        var list = pairs.ToList();
        Ordered(model, list);
        foreach (var (v, l) in list)
        {
            var missing = model.Find(v)!.Arches.Except(model.Find(l)!.Arches, StringComparer.Ordinal).ToList();
            if (missing.Count > 0)
                throw new PungiException(ErrorCodes.VariantLookasideArches,
                    $"variant_as_lookaside: {v} has arches {string.Join(", ", missing)} that its lookaside variant {l} lacks.");
        }
    }
}
