namespace Pungi.Build.Variants;

/// <summary>Where a definition came from, for error messages.</summary>
public readonly record struct SourceLocation(string? File, int Line, int Column = 0);

/// <summary>
/// A variant as written by the user, before validation: one <c>&lt;variant&gt;</c> element of variants.xml or
/// one inline <c>Variant</c> item. <see cref="VariantModel"/> turns definitions into validated <see cref="Variant"/>s.
/// </summary>
public sealed record VariantDefinition
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    /// <summary>As written (<c>variant</c>, <c>addon</c>, <c>optional</c>, <c>layered-product</c>); checked later.</summary>
    public required string Type { get; init; }
    public IReadOnlyList<(string Arch, SourceLocation Where)> Arches { get; init; } = [];
    public IReadOnlyList<VariantGroup> Groups { get; init; } = [];
    public IReadOnlyList<VariantEnvironment> Environments { get; init; } = [];
    public IReadOnlyList<VariantModule>? Modules { get; init; }
    public IReadOnlyList<string>? ModularKojiTags { get; init; }
    public IReadOnlyList<string> BuildInstallPackages { get; init; } = [];
    public bool IsEmpty { get; init; }
    public bool HasOptional { get; init; }
    public VariantRelease? Release { get; init; }
    /// <summary>Nested <c>&lt;variant&gt;</c> children.</summary>
    public IReadOnlyList<VariantDefinition> Children { get; init; } = [];
    /// <summary><c>&lt;ref id=…/&gt;</c> children (template ids).</summary>
    public IReadOnlyList<(string Id, SourceLocation Where)> Refs { get; init; } = [];
    public SourceLocation Where { get; init; }
}

/// <summary>
/// An inline <c>&lt;Variant Include="Server-optional" Parent="Server" Type="optional" Arches="x86_64" /&gt;</c>
/// item of the composeproj. <c>Include</c> is the UID (or, with a Parent, also just the id).
/// </summary>
public sealed record InlineVariant
{
    public required string Include { get; init; }
    public string? Name { get; init; }
    public string Type { get; init; } = "variant";
    public IReadOnlyList<string> Arches { get; init; } = [];
    public string? Parent { get; init; }
    public IReadOnlyList<VariantGroup> Groups { get; init; } = [];
    public IReadOnlyList<VariantEnvironment> Environments { get; init; } = [];
    public IReadOnlyList<VariantModule>? Modules { get; init; }
    public IReadOnlyList<string>? ModularKojiTags { get; init; }
    public IReadOnlyList<string> BuildInstallPackages { get; init; } = [];
    public bool IsEmpty { get; init; }
    public bool HasOptional { get; init; }
    public VariantRelease? Release { get; init; }
    public string? File { get; init; }
    public int Line { get; init; }
    public int Column { get; init; }
}

/// <summary>
/// Pungi's config filters applied while building the model: <c>tree_arches</c> (intersect every variant's arches,
/// drop variants left without arches) and <c>tree_variants</c> (keep only the listed UIDs).
/// </summary>
public sealed record VariantFilter
{
    public IReadOnlyCollection<string> TreeArches { get; init; } = [];
    public IReadOnlyCollection<string> TreeVariants { get; init; } = [];
    public static VariantFilter None { get; } = new();
}
