using System.Text.RegularExpressions;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Variants;

/// <summary>
/// All variants of a compose, from variants.xml (<see cref="VariantsXml.Load"/>) or inline items
/// (<see cref="FromInline"/>); both go through the same builder and validation (Pungi <c>VariantsXmlParser</c> +
/// <c>Variant.add_variant</c>, spec §5.2).
/// </summary>
public sealed class VariantModel
{
    private static readonly Regex IdRegex = new("^[a-zA-Z0-9]+$", RegexOptions.CultureInvariant);

    private readonly Dictionary<string, Variant> _byUid;

    private VariantModel(IReadOnlyList<Variant> topLevel, Dictionary<string, Variant> byUid, IReadOnlyList<string> excluded)
    {
        TopLevel = topLevel;
        _byUid = byUid;
        Excluded = excluded;
    }

    /// <summary>Top-level variants in definition order.</summary>
    public IReadOnlyList<Variant> TopLevel { get; }

    /// <summary>Messages about variants dropped by the tree_arches/tree_variants filters (Pungi logs them).</summary>
    public IReadOnlyList<string> Excluded { get; }

    /// <summary>Every variant, recursively, sorted by (rank, uid) — Pungi's <c>compose.get_variants()</c> order.</summary>
    public IReadOnlyList<Variant> All => GetVariants();

    /// <summary>Pungi <c>compose.get_arches()</c>: the sorted union of all variant arches.</summary>
    public IReadOnlyList<string> Arches => _byUid.Values.SelectMany(v => v.Arches).Distinct().Order(StringComparer.Ordinal).ToList();

    public Variant? Find(string uid) => _byUid.GetValueOrDefault(uid);

    /// <summary>
    /// Pungi <c>Compose.get_variants(types, arch)</c>: all variants recursively, filtered by type and by arch
    /// membership (no <c>src</c> wildcard at this level), sorted by (rank, uid).
    /// </summary>
    public IReadOnlyList<Variant> GetVariants(IReadOnlyCollection<VariantType>? types = null, string? arch = null)
        => _byUid.Values
            .Where(v => (types is not { Count: > 0 } || types.Contains(v.Type)) && (arch is null || v.Arches.Contains(arch)))
            .Order(Variant.PungiOrder)
            .ToList();

    /// <summary>
    /// Builds the model from top-level definitions and the templates (top-level addons and layered products of
    /// variants.xml that <c>&lt;ref&gt;</c> can pull in).
    /// </summary>
    public static VariantModel Build(IReadOnlyList<VariantDefinition> topLevel, IReadOnlyDictionary<string, VariantDefinition> templates,
        VariantFilter? filter = null)
    {
        var builder = new Builder(templates, filter ?? VariantFilter.None);
        var result = new List<Variant>();
        foreach (var def in topLevel)
        {
            var type = builder.ParseType(def);
            if (type != VariantType.Variant)
                throw Error(ErrorCodes.VariantChildWithoutParent,
                    $"Variant '{def.Id}' of type '{def.Type}' must sit inside a parent variant (only type 'variant' can be top-level).", def.Where);
            var v = builder.Node(def, null);
            if (v is null)
                continue;
            if (filter is { TreeVariants.Count: > 0 } && !filter.TreeVariants.Contains(v.Uid))
            {
                builder.Excluded.Add($"Excluding variant {v.Uid}: not in tree_variants.");
                continue;
            }
            builder.Register(v, def.Where);
            result.Add(v);
        }
        return new VariantModel(result, builder.ByUid, builder.Excluded);
    }

    /// <summary>
    /// Builds the model from inline <c>Variant</c> items. Each item names its parent by UID; children may come in
    /// any order. Validated exactly like variants.xml.
    /// </summary>
    public static VariantModel FromInline(IReadOnlyList<InlineVariant> items, VariantFilter? filter = null)
    {
        var byUid = new Dictionary<string, (InlineVariant Item, string Id)>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var where = new SourceLocation(item.File, item.Line, item.Column);
            var id = item.Include;
            var uid = item.Include;
            if (!string.IsNullOrEmpty(item.Parent))
            {
                if (item.Include.StartsWith(item.Parent + "-", StringComparison.Ordinal))
                    id = item.Include[(item.Parent.Length + 1)..];
                else
                    uid = item.Parent + "-" + item.Include;
            }
            if (byUid.TryGetValue(uid, out var first))
                throw Error(ErrorCodes.VariantDuplicateUid,
                    $"Variant UID '{uid}' is defined twice (first at {Describe(new SourceLocation(first.Item.File, first.Item.Line))}).", where);
            byUid[uid] = (item, id);
        }

        VariantDefinition Def(string uid)
        {
            var (item, id) = byUid[uid];
            var where = new SourceLocation(item.File, item.Line, item.Column);
            var children = byUid.Where(kv => kv.Value.Item.Parent == uid).Select(kv => Def(kv.Key)).ToList();
            return new VariantDefinition
            {
                Id = id,
                Name = string.IsNullOrEmpty(item.Name) ? id : item.Name,
                Type = item.Type,
                Arches = item.Arches.Select(a => (a, where)).ToList(),
                Groups = item.Groups,
                Environments = item.Environments,
                Modules = item.Modules,
                ModularKojiTags = item.ModularKojiTags,
                BuildInstallPackages = item.BuildInstallPackages,
                IsEmpty = item.IsEmpty,
                HasOptional = item.HasOptional,
                Release = item.Release,
                Children = children,
                Where = where,
            };
        }

        foreach (var (uid, (item, _)) in byUid)
        {
            if (!string.IsNullOrEmpty(item.Parent) && !byUid.ContainsKey(item.Parent))
                throw Error(ErrorCodes.VariantUnknownParent,
                    $"Variant '{uid}' names Parent '{item.Parent}', which is no defined variant UID.", new SourceLocation(item.File, item.Line, item.Column));
        }
        var top = byUid.Where(kv => string.IsNullOrEmpty(kv.Value.Item.Parent))
            .OrderBy(kv => items.ToList().IndexOf(kv.Value.Item))
            .Select(kv => Def(kv.Key)).ToList();
        // A child whose parent chain loops back never reaches a top-level variant.
        var reachable = new HashSet<string>(StringComparer.Ordinal);
        void Walk(VariantDefinition d, string uid)
        {
            reachable.Add(uid);
            foreach (var c in d.Children)
                Walk(c, uid + "-" + c.Id);
        }
        foreach (var t in top)
            Walk(t, t.Id);
        foreach (var (uid, (item, _)) in byUid)
            if (!reachable.Contains(uid))
                throw Error(ErrorCodes.VariantUnknownParent,
                    $"Variant '{uid}' is not reachable from a top-level variant (its Parent chain loops).", new SourceLocation(item.File, item.Line, item.Column));
        return Build(top, new Dictionary<string, VariantDefinition>(), filter);
    }

    internal static PungiException Error(string code, string message, SourceLocation where)
        => new(code, message, where.File, where.Line, where.Column);

    private static string Describe(SourceLocation where)
        => where.File is null ? "(unknown)" : where.Line > 0 ? $"{where.File}({where.Line})" : where.File;

    private sealed class Builder(IReadOnlyDictionary<string, VariantDefinition> templates, VariantFilter filter)
    {
        public Dictionary<string, Variant> ByUid { get; } = new(StringComparer.Ordinal);
        private readonly Dictionary<string, SourceLocation> _where = new(StringComparer.Ordinal);
        public List<string> Excluded { get; } = [];

        public VariantType ParseType(VariantDefinition def)
            => VariantTypes.TryParse(def.Type, out var t)
                ? t
                : throw Error(ErrorCodes.VariantUnknownType,
                    $"Variant '{def.Id}' has type '{def.Type}': use variant, addon, optional or layered-product.", def.Where);

        public void Register(Variant v, SourceLocation where)
        {
            if (ByUid.ContainsKey(v.Uid))
                throw Error(ErrorCodes.VariantDuplicateUid,
                    $"Variant UID '{v.Uid}' is defined twice (first at {Describe(_where[v.Uid])}).", where);
            ByUid[v.Uid] = v;
            _where[v.Uid] = where;
            foreach (var c in v.Children)
                Register(c, new SourceLocation(c.File, c.Line));
        }

        /// <summary>Pungi <c>parse_variant_node</c>: null when tree_arches filters every arch away.</summary>
        public Variant? Node(VariantDefinition def, Variant? parent)
        {
            var type = ParseType(def);
            if (string.IsNullOrWhiteSpace(def.Name))
                throw Error(ErrorCodes.VariantMissingName, $"Variant '{def.Id}' has no name.", def.Where);
            var metadataId = parent is null ? def.Id.Replace("-", "", StringComparison.Ordinal) : def.Id;
            if (!IdRegex.IsMatch(metadataId))
                throw Error(ErrorCodes.VariantBadId,
                    parent is null
                        ? $"Variant id '{def.Id}' may hold only letters, digits and dashes (productmd)."
                        : $"Child variant id '{def.Id}' may hold only letters and digits (productmd).",
                    def.Where);
            // The UID names directories of the compose: keep it within NAME_MAX (issue #13).
            if (System.Text.Encoding.UTF8.GetByteCount((parent is null ? "" : parent.Uid + "-") + def.Id) > Compose.SafePath.NameMax - 32)
                throw Error(ErrorCodes.UnsafeName, $"Variant id '{def.Id[..Math.Min(def.Id.Length, 64)]}…' is too long for a directory name.", def.Where);
            if (def.Arches.Count == 0)
                throw Error(ErrorCodes.VariantNoArches,
                    $"Variant '{def.Id}' lists no arches: add at least one <arch> (e.g. x86_64).", def.Where);
            foreach (var (arch, where) in def.Arches)
                if (!KnownArches.IsTreeArch(arch))
                    throw Error(ErrorCodes.VariantUnknownArch,
                        $"Variant '{def.Id}' lists unknown arch '{arch}'{Suggest(arch)}.", where);
            if (type == VariantType.LayeredProduct && def.Release is null)
                throw Error(ErrorCodes.VariantMissingRelease,
                    $"Layered product '{def.Id}' needs <release name=… short=… version=…/>.", def.Where);

            var arches = def.Arches.Select(a => a.Arch).Distinct().Order(StringComparer.Ordinal).ToList();
            if (filter.TreeArches.Count > 0)
                arches = arches.Where(filter.TreeArches.Contains).ToList();
            if (arches.Count == 0)
            {
                Excluded.Add($"Excluding variant {def.Id}: all its arches are filtered.");
                return null;
            }

            var v = new Variant(def.Id, def.Name, type, arches, def.Where.File, def.Where.Line)
            {
                Groups = def.Groups.OrderBy(g => g.Name, StringComparer.Ordinal).ToList(),
                Environments = def.Environments.OrderBy(e => e.Name, StringComparer.Ordinal).ToList(),
                Modules = def.Modules?.OrderBy(m => m.Name, StringComparer.Ordinal).ToList(),
                ModularKojiTags = def.ModularKojiTags?.Order(StringComparer.Ordinal).ToList(),
                BuildInstallPackages = def.BuildInstallPackages,
                IsEmpty = def.IsEmpty,
                Release = type == VariantType.LayeredProduct ? def.Release : null,
            };
            // The uid of a child depends on its parent; set it before children compute theirs.
            v.Parent = parent;

            var containsOptional = false;
            foreach (var childDef in def.Children)
            {
                var child = Node(childDef, v);
                if (AddChild(child, v, childDef.Where) && child!.Type == VariantType.Optional)
                    containsOptional = true;
            }
            if (def.HasOptional && !containsOptional)
            {
                // has_optional="true" without an explicit optional child creates one with the parent's arches.
                var optional = new Variant("optional", "optional", VariantType.Optional, v.Arches, def.Where.File, def.Where.Line);
                AddChild(optional, v, def.Where);
            }
            foreach (var (refId, where) in def.Refs)
            {
                if (!templates.TryGetValue(refId, out var template))
                    throw Error(ErrorCodes.VariantUnknownRef,
                        $"Variant '{v.Uid}' references non-existing variant '{refId}' (define it as a top-level addon or layered-product).", where);
                AddChild(Node(template, v), v, where);
            }
            v.Parent = null;
            return v;
        }

        /// <summary>Pungi <c>add_child</c> + <c>Variant.add_variant</c>.</summary>
        private bool AddChild(Variant? child, Variant parent, SourceLocation where)
        {
            if (child is null)
                return false;
            var uid = parent.Uid + "-" + child.Id;
            if (filter.TreeVariants.Count > 0 && !filter.TreeVariants.Contains(uid))
            {
                Excluded.Add($"Excluding variant {uid}: not in tree_variants.");
                return false;
            }
            // Pungi silently ignores a second child with the same id; we report it (it is always a mistake).
            if (parent.Children.Any(c => c.Id == child.Id))
                throw Error(ErrorCodes.VariantDuplicateUid, $"Variant UID '{uid}' is defined twice under '{parent.Uid}'.", where);
            if (parent.Type != VariantType.Variant)
                throw Error(ErrorCodes.VariantChildOfNonVariant,
                    $"Variant '{parent.Uid}' is of type '{parent.Type.ToName()}'; only type 'variant' can contain other variants ('{child.Id}' of type '{child.Type.ToName()}').", where);
            if (child.Id == parent.Id)
                throw Error(ErrorCodes.VariantChildSameId,
                    $"Child variant id must be different from the parent variant id: '{child.Id}' (both would map to os/{child.Id}).", where);
            var arches = parent.Arches.Intersect(child.Arches).Order(StringComparer.Ordinal).ToList();
            if (arches.Count == 0)
                throw Error(ErrorCodes.VariantArchesNotInParent,
                    $"Variant '{uid}': arch list {string.Join(",", child.Arches)} does not intersect with the parent arch list {string.Join(",", parent.Arches)}.", where);
            child.Arches = arches;
            parent.AddChild(child);
            return true;
        }

        private static string Suggest(string arch)
        {
            var best = KnownArches.Tree.OrderBy(k => Distance(k, arch)).ThenBy(k => k, StringComparer.Ordinal).First();
            return Distance(best, arch) <= 2 ? $" (did you mean '{best}'?)" : "";
        }

        private static int Distance(string a, string b)
        {
            var d = new int[a.Length + 1, b.Length + 1];
            for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
            for (var j = 0; j <= b.Length; j++) d[0, j] = j;
            for (var i = 1; i <= a.Length; i++)
                for (var j = 1; j <= b.Length; j++)
                    d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            return d[a.Length, b.Length];
        }
    }
}
