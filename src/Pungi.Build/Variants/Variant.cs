namespace Pungi.Build.Variants;

/// <summary>The four variant types of variants.dtd / productmd VARIANT_TYPES.</summary>
public enum VariantType
{
    Variant,
    Addon,
    Optional,
    LayeredProduct,
}

public static class VariantTypes
{
    /// <summary>The spelling in variants.xml and productmd metadata.</summary>
    public static string ToName(this VariantType type) => type switch
    {
        VariantType.Variant => "variant",
        VariantType.Addon => "addon",
        VariantType.Optional => "optional",
        VariantType.LayeredProduct => "layered-product",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static bool TryParse(string? name, out VariantType type)
    {
        switch (name)
        {
            case "variant": type = VariantType.Variant; return true;
            case "addon": type = VariantType.Addon; return true;
            case "optional": type = VariantType.Optional; return true;
            case "layered-product": type = VariantType.LayeredProduct; return true;
            default: type = default; return false;
        }
    }

    /// <summary>Pungi's sort rank: variant 0, addon 1, layered-product 1, optional 2 (spec §1.5).</summary>
    public static int Rank(this VariantType type) => type switch
    {
        VariantType.Variant => 0,
        VariantType.Addon or VariantType.LayeredProduct => 1,
        _ => 2,
    };
}

/// <summary>A comps group kept in a variant; <c>Default</c>/<c>UserVisible</c> null = keep comps' value.</summary>
public sealed record VariantGroup(string Name, bool Glob = false, bool? Default = null, bool? UserVisible = null);

/// <summary>A comps environment kept in a variant; <c>DisplayOrder</c> null = keep comps' value.</summary>
public sealed record VariantEnvironment(string Name, int? DisplayOrder = null);

/// <summary>A module spec <c>N:S[:V[:C]]</c> of a variant's <c>&lt;modules&gt;</c>.</summary>
public sealed record VariantModule(string Name, bool Glob = false);

/// <summary>The <c>&lt;release&gt;</c> of a layered product.</summary>
public sealed record VariantRelease(string Name, string Short, string Version);

/// <summary>
/// One variant of the compose (Pungi <c>wrappers/variants.py::Variant</c>, spec §1.5, §5). Built only by
/// <see cref="VariantModel"/>'s loaders, which validate it.
/// </summary>
public sealed class Variant
{
    private readonly List<Variant> _children = [];

    internal Variant(string id, string name, VariantType type, IReadOnlyList<string> arches, string? file, int line)
    {
        Id = id;
        Name = name;
        Type = type;
        Arches = arches;
        File = file;
        Line = line;
    }

    public string Id { get; }
    public string Name { get; }
    public VariantType Type { get; }

    /// <summary>Sorted (ordinal), as Pungi keeps them.</summary>
    public IReadOnlyList<string> Arches { get; internal set; }

    /// <summary>Sorted by name.</summary>
    public IReadOnlyList<VariantGroup> Groups { get; internal init; } = [];

    /// <summary>Sorted by name.</summary>
    public IReadOnlyList<VariantEnvironment> Environments { get; internal init; } = [];

    /// <summary>Null when the variant has no <c>&lt;modules&gt;</c> element (Pungi distinguishes None from []).</summary>
    public IReadOnlyList<VariantModule>? Modules { get; internal init; }

    /// <summary>Null when no <c>&lt;kojitag&gt;</c> is given.</summary>
    public IReadOnlyList<string>? ModularKojiTags { get; internal init; }

    public IReadOnlyList<string> BuildInstallPackages { get; internal init; } = [];

    /// <summary>A variant that only carries images: no gather, createrepo, treeinfo, discinfo or ISO.</summary>
    public bool IsEmpty { get; internal init; }

    /// <summary>The layered product's own release; null for other types.</summary>
    public VariantRelease? Release { get; internal init; }

    public Variant? Parent { get; internal set; }

    /// <summary>Direct children, sorted by (rank, uid).</summary>
    public IReadOnlyList<Variant> Children => _children;

    /// <summary>Where the variant was defined (variants.xml or the composeproj item), for errors.</summary>
    public string? File { get; }
    public int Line { get; }

    /// <summary><c>&lt;parent uid&gt;-&lt;id&gt;</c> for children, <c>id</c> for top-level variants.</summary>
    public string Uid => Parent is null ? Id : Parent.Uid + "-" + Id;

    /// <summary>
    /// The id productmd metadata uses: dashes removed for top-level variants (<c>Foo-Tools</c> → <c>FooTools</c>).
    /// </summary>
    public string MetadataId => Parent is null ? Id.Replace("-", "", StringComparison.Ordinal) : Id;

    /// <summary>Whether the variant builds for <paramref name="arch"/>; <c>src</c> always matches.</summary>
    public bool HasArch(string arch) => arch == "src" || Arches.Contains(arch);

    internal void AddChild(Variant child)
    {
        child.Parent = this;
        _children.Add(child);
        _children.Sort(PungiOrder);
    }

    /// <summary>
    /// Pungi <c>Variant.get_variants(arch, types, recursive)</c>: children filtered by type and arch (where
    /// <c>src</c> always matches), sorted by (rank, uid); <paramref name="includeSelf"/> is the special type "self".
    /// </summary>
    public IReadOnlyList<Variant> GetVariants(string? arch = null, IReadOnlyCollection<VariantType>? types = null,
        bool recursive = false, bool includeSelf = false)
    {
        var result = new List<Variant>();
        if (includeSelf)
            result.Add(this);
        foreach (var child in _children)
        {
            if (types is { Count: > 0 } && !types.Contains(child.Type))
                continue;
            if (arch is not null && !child.HasArch(arch))
                continue;
            result.Add(child);
            if (recursive)
                result.AddRange(child.GetVariants(arch, types, recursive: true));
        }
        return result;
    }

    /// <summary>Pungi orders variants by (rank, uid), uid compared by code point.</summary>
    public static IComparer<Variant> PungiOrder { get; } = Comparer<Variant>.Create((a, b) =>
    {
        var c = a.Type.Rank().CompareTo(b.Type.Rank());
        return c != 0 ? c : string.CompareOrdinal(a.Uid, b.Uid);
    });

    public override string ToString() => Uid;
}
