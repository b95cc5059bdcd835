using System.Globalization;
using System.Text.RegularExpressions;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Compose;

/// <summary>
/// A product release identity (productmd <c>Release</c> / <c>BaseProduct</c>): <c>release_name</c>,
/// <c>release_short</c>, <c>release_version</c>, <c>release_type</c> (default <c>ga</c>) and <c>release_internal</c>.
/// The same shape describes the base product of a layered compose (its <c>Internal</c> is unused).
/// </summary>
public sealed record ReleaseInfo(string Name, string Short, string Version, string Type = "ga", bool Internal = false)
{
    /// <summary>productmd RELEASE_TYPES (spec §6.10).</summary>
    public static IReadOnlyList<string> ReleaseTypes { get; } =
        ["fast", "ga", "updates", "updates-testing", "eus", "aus", "els", "tus", "e4s"];

    /// <summary><c>""</c> for <c>ga</c>, else <c>-&lt;type&gt;</c> (spec §1.2, release_type_suffix).</summary>
    public string TypeSuffix => Type == "ga" ? "" : "-" + Type;

    /// <summary>The first dot-separated component of the version (<c>8.4</c> → <c>8</c>).</summary>
    public string MajorVersion => Version.Split('.')[0];

    /// <summary>Checks the values a compose needs; <paramref name="what"/> names the property family in messages.</summary>
    public void Validate(string what = "Release", string? file = null)
    {
        if (string.IsNullOrWhiteSpace(Name))
            throw new PungiException(ErrorCodes.ReleaseValueMissing, $"{what}Name is empty: set the product's full name.", file);
        if (string.IsNullOrWhiteSpace(Short))
            throw new PungiException(ErrorCodes.ReleaseValueMissing, $"{what}Short is empty: set the product's short name (e.g. Fedora).", file);
        if (string.IsNullOrWhiteSpace(Version))
            throw new PungiException(ErrorCodes.ReleaseValueMissing, $"{what}Version is empty: set the product version (e.g. 41).", file);
        if (!ReleaseTypes.Contains(Type))
            throw new PungiException(ErrorCodes.UnknownReleaseType,
                $"{what}Type '{Type}' is unknown: use one of {string.Join(", ", ReleaseTypes)}.", file);
    }
}

/// <summary>productmd COMPOSE_TYPES and their id suffixes (spec §1.2, §6.10).</summary>
public static class ComposeTypes
{
    public const string Production = "production";
    public const string Nightly = "nightly";
    public const string Test = "test";
    public const string Ci = "ci";
    public const string Development = "development";

    /// <summary>In productmd's order, least important first.</summary>
    public static IReadOnlyList<string> All { get; } = [Test, Ci, Nightly, Production, Development];

    /// <summary>production → "", nightly → ".n", test → ".t", ci → ".ci", development → ".d".</summary>
    public static string Suffix(string composeType) => composeType switch
    {
        Production => "",
        Nightly => ".n",
        Test => ".t",
        Ci => ".ci",
        Development => ".d",
        _ => throw new PungiException(ErrorCodes.UnknownComposeType,
            $"ComposeType '{composeType}' is unknown: use one of production, nightly, test, ci, development."),
    };

    public static bool IsKnown(string composeType) => All.Contains(composeType);
}

/// <summary>
/// A compose label <c>&lt;Milestone&gt;-&lt;major&gt;.&lt;minor&gt;</c> (productmd <c>verify_label</c>, spec §1.2).
/// </summary>
public sealed record ComposeLabel(string Milestone, string Release)
{
    /// <summary>productmd LABEL_NAMES, in "importance" order.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["EA", "DevelPhaseExit", "InternalAlpha", "Alpha", "InternalSnapshot", "Beta", "Snapshot", "RC", "Update", "SecurityFix"];

    /// <summary>productmd SUPPORTED_MILESTONES: a label with one of these makes the compose final/supported.</summary>
    public static IReadOnlyList<string> SupportedMilestones { get; } = ["RC", "Update", "SecurityFix"];

    private static readonly Regex ReleasePart = new(@"^\d+\.\d+$", RegexOptions.CultureInvariant);

    public string Value => Milestone + "-" + Release;

    /// <summary><c>label_major_version</c>: the label without its last <c>.&lt;x&gt;</c> (<c>Beta-1.2</c> → <c>Beta-1</c>).</summary>
    public string MajorVersion => Value[..Value.LastIndexOf('.')];

    /// <summary>Pungi forces "supported" on for RC/Update/SecurityFix labels; written as <c>compose.final</c>.</summary>
    public bool IsSupported => SupportedMilestones.Contains(Milestone);

    public override string ToString() => Value;

    /// <summary>Parses and validates like productmd's <c>verify_label</c> (each name's regex <c>^Name-\d+\.\d+$</c>).</summary>
    public static ComposeLabel Parse(string label, string? file = null)
    {
        var dash = label.IndexOf('-');
        if (dash > 0)
        {
            var name = label[..dash];
            var release = label[(dash + 1)..];
            if (Names.Contains(name) && ReleasePart.IsMatch(release))
                return new ComposeLabel(name, release);
        }
        throw new PungiException(ErrorCodes.BadComposeLabel,
            $"ComposeLabel '{label}' is in an unknown format: use <Milestone>-<major>.<minor> (e.g. Beta-1.2) with Milestone one of {string.Join(", ", Names)}.",
            file);
    }
}

/// <summary>
/// The release and compose values of one compose (Pungi's <c>Compose</c> + productmd <c>ComposeInfo.compose</c>):
/// the release, the base product of a layered compose, compose type, date, respin and label, and the compose id
/// derived from them (spec §1.2).
/// </summary>
public sealed record ComposeInfo
{
    private static readonly Regex DateRegex = new(@"^\d{8}$", RegexOptions.CultureInvariant);

    public required ReleaseInfo Release { get; init; }

    /// <summary>The base product of a layered compose; null when not layered.</summary>
    public ReleaseInfo? BaseProduct { get; init; }

    /// <summary>One of <see cref="ComposeTypes.All"/>.</summary>
    public required string Type { get; init; }

    /// <summary><c>YYYYMMDD</c>.</summary>
    public required string Date { get; init; }

    public int Respin { get; init; }

    public ComposeLabel? Label { get; init; }

    /// <summary>The compose id; computed by <see cref="Create"/>, or as read from a metadata file.</summary>
    public required string Id { get; init; }

    /// <summary>productmd <c>compose.final</c>; forced true by an RC/Update/SecurityFix label.</summary>
    public bool Final { get; init; }

    public bool IsLayered => BaseProduct is not null;

    public string TypeSuffix => ComposeTypes.Suffix(Type);

    /// <summary><c>label_major_version</c>, or null without a label.</summary>
    public string? LabelMajorVersion => Label?.MajorVersion;

    /// <summary>
    /// Pungi <c>Compose.image_release</c>: the label's part after '-' (<c>1.6</c>) when labelled, else
    /// <c>&lt;date&gt;&lt;type_suffix&gt;.&lt;respin&gt;</c> (<c>20170406.n.0</c>).
    /// </summary>
    public string ImageRelease => Label is not null ? Label.Release : $"{Date}{TypeSuffix}.{Respin}";

    /// <summary>
    /// Pungi <c>Compose.image_version</c>: <c>release_version</c>, or <c>&lt;version&gt;_&lt;Milestone&gt;</c> when
    /// labelled with a label not starting with <c>RC-</c> (<c>26_Alpha</c>).
    /// </summary>
    public string ImageVersion => Label is not null && Label.Milestone != "RC" ? $"{Release.Version}_{Label.Milestone}" : Release.Version;

    /// <summary>
    /// Validates every value and computes the id. <paramref name="file"/> is named in errors (the composeproj).
    /// <paramref name="final"/> is Pungi's <c>--supported</c>; a supported-milestone label turns it on anyway.
    /// </summary>
    public static ComposeInfo Create(ReleaseInfo release, ReleaseInfo? baseProduct, string composeType, string composeDate,
        int respin = 0, string? label = null, bool final = false, string? file = null)
    {
        release.Validate("Release", file);
        baseProduct?.Validate("BaseProduct", file);
        if (!ComposeTypes.IsKnown(composeType))
            throw new PungiException(ErrorCodes.UnknownComposeType,
                $"ComposeType '{composeType}' is unknown: use one of production, nightly, test, ci, development.", file);
        ValidateDate(composeDate, file);
        if (respin < 0)
            throw new PungiException(ErrorCodes.BadComposeRespin, $"ComposeRespin '{respin}' is negative: use 0 or more.", file);
        var parsedLabel = string.IsNullOrEmpty(label) ? null : ComposeLabel.Parse(label, file);
        return new ComposeInfo
        {
            Release = release,
            BaseProduct = baseProduct,
            Type = composeType,
            Date = composeDate,
            Respin = respin,
            Label = parsedLabel,
            Final = final || (parsedLabel?.IsSupported ?? false),
            Id = ComposeId.Create(release, baseProduct, composeType, composeDate, respin),
        };
    }

    /// <summary>The same compose with another respin (and the id that goes with it).</summary>
    public ComposeInfo WithRespin(int respin) => this with
    {
        Respin = respin,
        Id = ComposeId.Create(Release, BaseProduct, Type, Date, respin),
    };

    /// <summary>Builds the base product from the three (or four) BaseProduct* values: all of name/short/version or none.</summary>
    public static ReleaseInfo? BaseProductFrom(string? name, string? shortName, string? version, string? type = null, string? file = null)
    {
        var given = new[] { name, shortName, version }.Count(v => !string.IsNullOrEmpty(v));
        if (given == 0)
            return null;
        if (given != 3)
            throw new PungiException(ErrorCodes.IncompleteBaseProduct,
                "BaseProductName, BaseProductShort and BaseProductVersion must be set together (a layered product) or not at all.", file);
        return new ReleaseInfo(name!, shortName!, version!, string.IsNullOrEmpty(type) ? "ga" : type);
    }

    /// <summary>Parses a ComposeRespin property value.</summary>
    public static int ParseRespin(string? value, string? file = null)
    {
        if (string.IsNullOrEmpty(value))
            return 0;
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var respin))
            throw new PungiException(ErrorCodes.BadComposeRespin, $"ComposeRespin '{value}' is not a non-negative integer.", file);
        return respin;
    }

    /// <summary>productmd requires <c>^\d{8}$</c>; we also require a real calendar date, so a typo cannot slip through.</summary>
    public static void ValidateDate(string date, string? file = null)
    {
        if (!DateRegex.IsMatch(date) ||
            !DateTime.TryParseExact(date, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            throw new PungiException(ErrorCodes.BadComposeDate, $"ComposeDate '{date}' is not a date in the form YYYYMMDD (e.g. 20261127).", file);
    }

    /// <summary>Today's date as a ComposeDate (UTC, DESIGN.md §3).</summary>
    public static string Today(TimeProvider? clock = null)
        => (clock ?? TimeProvider.System).GetUtcNow().ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>
    /// Pungi <c>util.version_generator</c>: the magic <c>!…</c> values; other values pass through unchanged,
    /// an unknown <c>!…</c> value is an error.
    /// </summary>
    public string? ResolveVersion(string? value, string? file = null) => value switch
    {
        "!OSTREE_VERSION_FROM_LABEL_DATE_TYPE_RESPIN" => $"{ImageVersion}.{ImageRelease}",
        "!RELEASE_FROM_LABEL_DATE_TYPE_RESPIN" => ImageRelease,
        "!RELEASE_FROM_DATE_RESPIN" => $"{Date}.{Respin}",
        "!VERSION_FROM_VERSION_DATE_RESPIN" => $"{Release.Version}.{Date}.{Respin}",
        "!VERSION_FROM_VERSION" => Release.Version,
        [ '!', .. ] => throw new PungiException(ErrorCodes.UnknownVersionGenerator,
            $"Unknown version generator '{value}': use !OSTREE_VERSION_FROM_LABEL_DATE_TYPE_RESPIN, !RELEASE_FROM_LABEL_DATE_TYPE_RESPIN, !RELEASE_FROM_DATE_RESPIN, !VERSION_FROM_VERSION_DATE_RESPIN or !VERSION_FROM_VERSION.",
            file),
        _ => value,
    };

    /// <summary>
    /// Pungi <c>get_format_substs</c>: the keys every name/volid/checksum template can use, plus call-specific ones
    /// (<paramref name="extra"/> wins on a clash, as <c>substs.update(kwargs)</c>).
    /// </summary>
    public Dictionary<string, string> FormatSubstitutions(IEnumerable<KeyValuePair<string, string>>? extra = null)
    {
        var substs = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["compose_id"] = Id,
            ["release_short"] = Release.Short,
            ["version"] = Release.Version,
            ["date"] = Date,
            ["respin"] = Respin.ToString(CultureInfo.InvariantCulture),
            ["type"] = Type,
            ["type_suffix"] = TypeSuffix,
            ["label"] = Label?.Value ?? "",
            ["label_major_version"] = LabelMajorVersion ?? "",
        };
        if (extra is not null)
            foreach (var (k, v) in extra)
                substs[k] = v;
        return substs;
    }
}

/// <summary>productmd <c>ComposeInfo.create_compose_id()</c> (spec §1.2).</summary>
public static class ComposeId
{
    /// <summary>
    /// <c>&lt;short&gt;-&lt;version&gt;&lt;release_type_suffix&gt;[-&lt;bp_short&gt;-&lt;bp_version&gt;&lt;bp_type_suffix&gt;]-&lt;date&gt;&lt;compose_type_suffix&gt;.&lt;respin&gt;</c>,
    /// e.g. <c>Fedora-41-20261127.n.0</c>, <c>RHEL-8.4-updates-20210101.1</c>, <c>MYPRODUCT-2.1-RHEL-7-20161110.t.0</c>.
    /// </summary>
    public static string Create(ReleaseInfo release, ReleaseInfo? baseProduct, string composeType, string date, int respin)
    {
        var id = $"{release.Short}-{release.Version}{release.TypeSuffix}";
        if (baseProduct is not null)
            id += $"-{baseProduct.Short}-{baseProduct.Version}{baseProduct.TypeSuffix}";
        return id + $"-{date}{ComposeTypes.Suffix(composeType)}.{respin.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>
    /// The compose id used in image names of a layered-product variant (spec §5.3):
    /// <c>&lt;lp short&gt;-&lt;lp version&gt;-&lt;release short&gt;-&lt;release major&gt;-&lt;date&gt;&lt;type suffix&gt;.&lt;respin&gt;</c>.
    /// </summary>
    public static string ForLayeredProduct(ComposeInfo compose, string lpShort, string lpVersion)
        => $"{lpShort}-{lpVersion}-{compose.Release.Short}-{compose.Release.MajorVersion}-{compose.Date}{compose.TypeSuffix}.{compose.Respin.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>
/// The <c>payload.compose</c> object every productmd file carries: id, type, date, respin, and label/final when
/// labelled. The release itself is only in composeinfo.json.
/// </summary>
public sealed record ComposeHeader(string Id, string Type, string Date, int Respin, string? Label = null, bool Final = false)
{
    public static ComposeHeader From(ComposeInfo compose)
        => new(compose.Id, compose.Type, compose.Date, compose.Respin, compose.Label?.Value, compose.Final);
}
