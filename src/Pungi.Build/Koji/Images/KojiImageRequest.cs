namespace Pungi.Build.Koji.Images;

/// <summary>The Koji-only image phases (spec §2.10–2.16), with Pungi's phase names.</summary>
public enum KojiImagePhase
{
    LiveImages,
    LiveMedia,
    ImageBuild,
    KiwiBuild,
    OSBuild,
    OSBS,
    ImageContainer,
}

/// <summary>Where a phase's files go in the compose (iso_dir or image_dir), or nowhere (container builds: osbs.json only).</summary>
public enum KojiImageDestination
{
    Images,
    Iso,
    None,
}

/// <summary>
/// One hub task a phase creates: the call exactly as upstream makes it (method, positional arguments, keyword
/// arguments in upstream's order), and what the compose needs to take its results.
/// </summary>
public sealed record KojiImageRequest
{
    public required KojiImagePhase Phase { get; init; }
    /// <summary>Variant UID the results belong to.</summary>
    public required string Variant { get; init; }
    /// <summary>Tree arches of this task (one for live images, several for the others).</summary>
    public required IReadOnlyList<string> Arches { get; init; }
    /// <summary>Arches whose failure does not fail the compose (<c>failable</c>); <c>*</c> = all.</summary>
    public IReadOnlyList<string> FailableArches { get; init; } = [];
    public string Subvariant { get; init; } = "";
    public required string Method { get; init; }
    public required IReadOnlyList<object?> Args { get; init; }
    public IReadOnlyList<KeyValuePair<string, object?>>? Kwargs { get; init; }
    public KojiImageDestination Destination { get; init; } = KojiImageDestination.Images;
    /// <summary>ImageBuild/KiwiBuild: the formats asked for (the file suffix decides the image type).</summary>
    public IReadOnlyList<string> Formats { get; init; } = [];
    /// <summary>LiveImages: the file name the image gets in the compose (null keeps Koji's name).</summary>
    public string? TargetFileName { get; init; }
    /// <summary>LiveImages: the image type to record (<c>live</c> or <c>raw-xz</c> for appliances).</summary>
    public string? ImageType { get; init; }
    public bool Scratch { get; init; }
    /// <summary>A label for messages: phase, variant, arches and the item it came from.</summary>
    public string Describe => $"{Phase} {Variant}.{string.Join(",", Arches)}{(Subvariant.Length > 0 ? $" ({Subvariant})" : "")}";

    /// <summary>True when a failure on <paramref name="arch"/> (or of the whole task, when null) is tolerated.</summary>
    public bool CanFail(string? arch)
        => FailableArches.Contains("*") || (arch is null ? FailableArches.Count > 0 && Arches.All(FailableArches.Contains) : FailableArches.Contains(arch));
}
