using System.Text.RegularExpressions;
using System.Xml.Linq;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Comps;

/// <summary>The switches of upstream's <c>comps_filter</c> script (spec §4.2), with its defaults.</summary>
public sealed record CompsFilterOptions
{
    /// <summary><c>--arch-only-packages</c>: drop packagereqs that carry no <c>arch</c> attribute.</summary>
    public bool ArchOnlyPackages { get; init; }

    /// <summary><c>--arch-only-groups</c>: drop groups that carry no <c>arch</c> attribute.</summary>
    public bool ArchOnlyGroups { get; init; }

    /// <summary><c>--arch-only-environments</c>: drop environments that carry no <c>arch</c> attribute.</summary>
    public bool ArchOnlyEnvironments { get; init; }

    /// <summary><c>--remove-categories</c>.</summary>
    public bool RemoveCategories { get; init; }

    /// <summary><c>--remove-langpacks</c>.</summary>
    public bool RemoveLangpacks { get; init; }

    /// <summary><c>--remove-translations</c>: drop every element with <c>xml:lang</c>.</summary>
    public bool RemoveTranslations { get; init; }

    /// <summary><c>--remove-environments</c>.</summary>
    public bool RemoveEnvironments { get; init; }

    /// <summary><c>--keep-empty-group</c> (repeatable): fnmatch patterns of group ids kept even without packages.</summary>
    public IReadOnlyList<string> KeepEmptyGroups { get; init; } = [];

    /// <summary><c>--lookaside-group</c> (repeatable): group ids an environment may name although this file lacks them.</summary>
    public IReadOnlyList<string> LookasideGroups { get; init; } = [];

    /// <summary><c>--no-cleanup</c>: keep empty groups, categories and environments and dangling group ids.</summary>
    public bool NoCleanup { get; init; }

    /// <summary><c>--no-reindent</c> (reindent is upstream's default).</summary>
    public bool NoReindent { get; init; }

    /// <summary>What Init runs per arch (spec §2.1 step 3): <c>--arch=A --no-cleanup</c>.</summary>
    public static CompsFilterOptions ForArch { get; } = new() { NoCleanup = true };

    /// <summary>What Init runs per variant.arch (spec §2.1 step 4): cleanup on, <c>--keep-empty-group=conflicts</c>,
    /// <c>--keep-empty-group=conflicts-&lt;uid lowercased&gt;</c> and the lookaside groups.</summary>
    public static CompsFilterOptions ForVariant(string variantUid, IEnumerable<string> lookasideGroups) => new()
    {
        KeepEmptyGroups = ["conflicts", "conflicts-" + variantUid.ToLowerInvariant()],
        LookasideGroups = lookasideGroups.ToList(),
    };
}

/// <summary>
/// Upstream's <c>comps_filter</c> (spec §4.2): an XML-level filter that removes what does not apply to one arch (and
/// optionally one variant) and leaves everything else, unknown content included, as it was.
/// </summary>
public static class CompsFilter
{
    private static readonly Regex ListSeparator = new("[, ]+", RegexOptions.CultureInvariant);

    /// <summary>Returns a filtered copy of <paramref name="doc"/>; the input is not changed.</summary>
    /// <exception cref="PungiException">PUNGI1103 when two groups, categories or environments still share an id after
    /// filtering (upstream would write both and leave the clash to dnf).</exception>
    public static CompsDocument Filter(CompsDocument doc, string arch, string? variantUid, CompsFilterOptions? options = null)
    {
        options ??= new CompsFilterOptions();
        var result = doc.Clone();
        var root = result.Root;

        // 1-3. Arch, then variant, on packagereqs, groups, environments (upstream's order).
        var packages = root.Elements("group").Elements("packagelist").Elements("packagereq");
        FilterByAttribute(packages, "arch", arch, options.ArchOnlyPackages);
        if (!string.IsNullOrEmpty(variantUid))
            FilterByAttribute(packages, "variant", variantUid, options.ArchOnlyPackages);
        FilterByAttribute(root.Elements("group"), "arch", arch, options.ArchOnlyGroups);
        if (!string.IsNullOrEmpty(variantUid))
            FilterByAttribute(root.Elements("group"), "variant", variantUid, options.ArchOnlyGroups);
        FilterByAttribute(root.Elements("environment"), "arch", arch, options.ArchOnlyEnvironments);
        if (!string.IsNullOrEmpty(variantUid))
            FilterByAttribute(root.Elements("environment"), "variant", variantUid, options.ArchOnlyEnvironments);

        // 4. Cleanup.
        if (!options.NoCleanup)
            Cleanup(root, arch, options.KeepEmptyGroups, options.LookasideGroups);

        // 5. Removals on request.
        if (options.RemoveCategories)
            root.Elements("category").Remove();
        if (options.RemoveLangpacks)
            root.Elements("langpacks").Remove();
        if (options.RemoveTranslations)
            root.Descendants().Where(e => e.Attribute(XNamespace.Xml + "lang") != null).Remove();
        if (options.RemoveEnvironments)
            root.Elements("environment").Remove();

        CheckUniqueIds(result);
        return result;
    }

    /// <summary>Filters and serialises as <c>comps_filter --output</c> writes the file.</summary>
    public static byte[] FilterToBytes(CompsDocument doc, string arch, string? variantUid, CompsFilterOptions? options = null)
        => Filter(doc, arch, variantUid, options).ToBytes(!(options?.NoReindent ?? false));

    /// <summary>Splits an <c>arch</c>/<c>variant</c> attribute the way upstream does: on runs of commas and spaces.</summary>
    public static IReadOnlyList<string> SplitList(string value)
        => ListSeparator.Split(value).Where(v => v.Length > 0).ToList();

    // Upstream _filter_elements_by_attr: with "only", elements without the attribute go; an element whose list lacks
    // the value goes; otherwise only the attribute goes.
    private static void FilterByAttribute(IEnumerable<XElement> elements, string attribute, string value, bool only)
    {
        foreach (var element in elements.ToList())
        {
            var attr = element.Attribute(attribute);
            if (attr is null)
            {
                if (only)
                    element.Remove();
                continue;
            }
            if (SplitList(attr.Value).Contains(value, StringComparer.Ordinal))
                attr.Remove();
            else
                element.Remove();
        }
    }

    private static void Cleanup(XElement root, string arch, IReadOnlyList<string> keepEmptyGroups, IReadOnlyList<string> lookasideGroups)
    {
        // 4.1 Groups without any packagelist/packagereq, unless kept by an fnmatch pattern.
        foreach (var group in root.Elements("group").ToList())
        {
            if (group.Elements("packagelist").Elements("packagereq").Any())
                continue;
            var id = group.Element("id")?.Value ?? "";
            if (!keepEmptyGroups.Any(p => FnMatch.IsMatch(id, p)))
                group.Remove();
        }

        var groupIds = new HashSet<string>(root.Elements("group").Elements("id").Select(i => i.Value), StringComparer.Ordinal);

        // 4.2-4.3 Categories: dangling group ids, then empty categories.
        foreach (var category in root.Elements("category"))
            category.Elements("grouplist").Elements("groupid").Where(g => !groupIds.Contains(g.Value)).Remove();
        root.Elements("category").Where(c => !c.Elements("grouplist").Elements("groupid").Any()).Remove();

        // 4.4 Environments: ids naming no group here nor in lookaside, and [4.3.6] ids whose arch list lacks the arch,
        // in both grouplist and optionlist.
        var known = new HashSet<string>(groupIds, StringComparer.Ordinal);
        known.UnionWith(lookasideGroups);
        foreach (var environment in root.Elements("environment"))
        {
            foreach (var listName in new[] { "grouplist", "optionlist" })
            {
                environment.Elements(listName).Elements("groupid").Where(g => !known.Contains(g.Value)).Remove();
                environment.Elements(listName).Elements("groupid")
                    .Where(g => g.Attribute("arch") is { } a && !SplitList(a.Value).Contains(arch, StringComparer.Ordinal))
                    .Remove();
            }
        }

        // 4.5 Environments without grouplist/groupid (an optionlist alone does not keep one).
        root.Elements("environment").Where(e => !e.Elements("grouplist").Elements("groupid").Any()).Remove();
    }

    /// <summary>Refuses two groups, categories or environments with one id (libcomps would keep both and dnf
    /// merge or reject them; we report both lines instead).</summary>
    internal static void CheckUniqueIds(CompsDocument doc)
    {
        foreach (var kind in new[] { "group", "category", "environment" })
        {
            var seen = new Dictionary<string, XElement>(StringComparer.Ordinal);
            foreach (var element in doc.Root.Elements(kind))
            {
                var idElement = element.Element("id");
                if (idElement is null)
                    throw new PungiException(ErrorCodes.CompsMissingId, $"A <{kind}> has no <id>.", doc.File, CompsDocument.LineOf(element), CompsDocument.ColumnOf(element));
                if (seen.TryGetValue(idElement.Value, out var first) && Overlap(first, element))
                    throw new PungiException(ErrorCodes.CompsDuplicateId,
                        $"The {kind} id '{idElement.Value}' is defined twice (first at line {CompsDocument.LineOf(first)}); give each {kind} its own id, or an arch/variant attribute so only one applies.",
                        doc.File, CompsDocument.LineOf(element), CompsDocument.ColumnOf(element));
                seen.TryAdd(idElement.Value, element);
            }
        }
    }

    // Two definitions clash unless their variant attributes (still present before variant filtering) keep them apart.
    private static bool Overlap(XElement a, XElement b)
    {
        var va = a.Attribute("variant");
        var vb = b.Attribute("variant");
        if (va is null || vb is null)
            return true;
        return SplitList(va.Value).Intersect(SplitList(vb.Value), StringComparer.Ordinal).Any();
    }
}
