using System.Globalization;
using System.Text;
using Pungi.Build.Compose;

namespace Pungi.Build.Metadata;

/// <summary>
/// The packages of one variant.arch of rpms.json by category, as the compose report counts them. A class: collections
/// and LINQ over it then run the runtime's shared precompiled code instead of JIT-compiling a value-type instantiation
/// in every build's fresh MSBuild process.
/// </summary>
public sealed record CategoryCounts(int Binary, int Debug, int Source)
{
    public static readonly CategoryCounts None = new(0, 0, 0);

    /// <summary>The count of <paramref name="category"/> (0 for a category other than binary, debug and source).</summary>
    public int Of(string category) => category switch
    {
        "binary" => Binary,
        "debug" => Debug,
        "source" => Source,
        _ => 0,
    };

    public static CategoryCounts Count(IEnumerable<string> categories)
    {
        int binary = 0, debug = 0, source = 0;
        foreach (var c in categories)
            switch (c)
            {
                case "binary": binary++; break;
                case "debug": debug++; break;
                case "source": source++; break;
            }
        return new CategoryCounts(binary, debug, source);
    }
}

/// <summary>
/// What the compose report reads of rpms.json when it has no previous compose to compare with — the compose ID and, per
/// variant.arch, its packages by category — saved by ComposeMetadata when it writes rpms.json
/// (<c>work/global/metadata-cache/rpms.counts</c>) under the SHA-256 of the file's bytes, so the report hashes the file
/// instead of parsing 10 MB of JSON at 20,000 packages. Content-addressed: an rpms.json with other bytes (edited, from
/// another build, written by an older version) finds nothing and is parsed.
/// </summary>
public static class RpmsCounts
{
    private const string Magic = "# pungi-build rpms.json counts 1";

    public static string PathFor(ComposeLayout layout) => Path.Combine(layout.WorkTopdir(null), "metadata-cache", "rpms.counts");

    /// <summary>Saves the counts of the rpms.json whose bytes hash to <paramref name="sha256"/> (rewritten only when they change).</summary>
    public static void Save(string path, string sha256, string? composeId, IEnumerable<(string VariantArch, CategoryCounts Counts)> counts)
    {
        var lines = new List<string>();
        foreach (var (key, c) in counts)
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{key}\t{c.Binary}\t{c.Debug}\t{c.Source}\n"));
        // By variant.arch: a tab sorts before every character a name may hold.
        lines.Sort(StringComparer.Ordinal);
        var sb = new StringBuilder();
        sb.Append(Magic).Append('\n').Append("sha256=").Append(sha256).Append('\n').Append("id=").Append(composeId ?? "").Append('\n');
        foreach (var line in lines) sb.Append(line);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteIfChanged(path, sb.ToString());
    }

    /// <summary>
    /// The counts saved for <paramref name="rpmsJson"/>'s current bytes; null when there are none (no cache, another file,
    /// a damaged cache). <paramref name="composeId"/> is the payload's compose ID as saved (null when it had none).
    /// </summary>
    public static SortedDictionary<string, CategoryCounts>? TryLoad(string path, string rpmsJson, out string? composeId)
    {
        composeId = null;
        try
        {
            if (!File.Exists(path) || !File.Exists(rpmsJson)) return null;
            var lines = File.ReadAllLines(path);
            if (lines.Length < 3 || lines[0] != Magic || !lines[1].StartsWith("sha256=", StringComparison.Ordinal) || !lines[2].StartsWith("id=", StringComparison.Ordinal))
                return null;
            if (lines[1]["sha256=".Length..] != Repodata.RepodataChecksum.OfFile(rpmsJson, "sha256")) return null;
            var counts = new SortedDictionary<string, CategoryCounts>(StringComparer.Ordinal);
            foreach (var line in lines.Skip(3))
            {
                var f = line.Split('\t');
                if (f.Length != 4
                    || !int.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out var binary)
                    || !int.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var debug)
                    || !int.TryParse(f[3], NumberStyles.None, CultureInfo.InvariantCulture, out var source))
                    return null;
                counts[f[0]] = new CategoryCounts(binary, debug, source);
            }
            var id = lines[2]["id=".Length..];
            composeId = id.Length == 0 ? null : id;
            return counts;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
