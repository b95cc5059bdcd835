using System.Globalization;
using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Pungi.Build.Variants;

namespace Pungi.Build.Metadata;

/// <summary>
/// <c>.discinfo</c> (spec §6.8): timestamp, description, arch and disc numbers, one per line, each ending in a
/// newline (Pungi's writer; productmd's own omits the last newline).
/// </summary>
public sealed record DiscInfo(string Timestamp, string Description, string Arch, string? DiscNumbers = "ALL")
{
    public string Serialize()
        => $"{Timestamp}\n{Description}\n{Arch}\n" + (DiscNumbers is null ? "" : DiscNumbers + "\n");

    public bool Write(string path) => AtomicFile.WriteIfChanged(path, Serialize());

    public static DiscInfo Read(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Reads the first four lines (old media have more: paths of the base, RPMS and pixmaps dirs).</summary>
    public static DiscInfo Parse(string text, string? file = null)
    {
        var lines = text.Split('\n');
        if (lines.Length < 3 || (lines.Length == 3 && lines[2].Length == 0))
            throw new PungiException(ErrorCodes.DiscinfoMalformed, ".discinfo needs at least timestamp, description and arch lines.", file);
        var discs = lines.Length > 3 && lines[3].Length > 0 ? lines[3] : null;
        return new DiscInfo(lines[0], lines[1], lines[2], discs);
    }

    /// <summary>
    /// Line 1: <c>SOURCE_DATE_EPOCH</c> when set, else now; printed like Python's <c>"%f"</c> (6 decimals).
    /// </summary>
    public static string NewTimestamp(TimeProvider? clock = null, string? sourceDateEpoch = null)
    {
        sourceDateEpoch ??= Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH");
        double seconds;
        if (!string.IsNullOrEmpty(sourceDateEpoch) &&
            double.TryParse(sourceDateEpoch, NumberStyles.Float, CultureInfo.InvariantCulture, out var sde))
            seconds = sde;
        else
            seconds = ((clock ?? TimeProvider.System).GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond;
        return seconds.ToString("F6", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Line 2 (Pungi <c>get_description</c>): <c>release_discinfo_description</c> %-formatted with
    /// <c>variant_name</c> and <c>arch</c> when configured; a layered-product variant:
    /// <c>&lt;lp name&gt; &lt;lp version&gt; for &lt;release name&gt; &lt;release major&gt;</c>; otherwise
    /// <c>&lt;release name&gt; &lt;release version&gt;</c> plus <c> for &lt;base name&gt; &lt;base version&gt;</c>
    /// when the compose is layered.
    /// </summary>
    public static string DescriptionFor(ComposeInfo compose, Variant variant, string arch, string? releaseDiscinfoDescription = null)
    {
        if (!string.IsNullOrEmpty(releaseDiscinfoDescription))
            return FormatTemplate.ApplyPercent(releaseDiscinfoDescription,
                new Dictionary<string, string> { ["variant_name"] = variant.Name, ["arch"] = arch });
        if (variant.Type == VariantType.LayeredProduct && variant.Release is { } lp)
            return $"{lp.Name} {lp.Version} for {compose.Release.Name} {compose.Release.MajorVersion}";
        var result = $"{compose.Release.Name} {compose.Release.Version}";
        if (compose.BaseProduct is { } bp)
            result += $" for {bp.Name} {bp.Version}";
        return result;
    }
}

/// <summary><c>media.repo</c> beside .discinfo (spec §6.9).</summary>
public static class MediaRepo
{
    /// <summary>
    /// <c>[InstallMedia]</c> with <c>name</c> = the .discinfo description, <c>mediaid</c> = the .discinfo
    /// timestamp string, <c>metadata_expire=-1</c>, <c>gpgcheck=0</c>, <c>cost=500</c>, trailing newline.
    /// </summary>
    public static string Serialize(string description, string timestamp)
        => $"[InstallMedia]\nname={description}\nmediaid={timestamp}\nmetadata_expire=-1\ngpgcheck=0\ncost=500\n";

    public static bool Write(string path, DiscInfo discInfo)
        => AtomicFile.WriteIfChanged(path, Serialize(discInfo.Description, discInfo.Timestamp));
}
