using System.Globalization;

namespace Pungi.Build.Compose;

/// <summary>
/// Pungi <c>util.find_old_compose</c> (spec §1.3): the newest earlier compose of the same release, which reuse
/// and reports compare against.
/// </summary>
public static class OldComposes
{
    /// <summary>Statuses an old compose may have by default; delta RPMs accept only the first two.</summary>
    public static IReadOnlyList<string> DefaultStatuses { get; } = [ComposeStatus.Finished, ComposeStatus.FinishedIncomplete, ComposeStatus.Doomed];

    /// <summary>
    /// Looks in each of <paramref name="dirs"/> for real directories (not symlinks such as <c>latest-…</c>) named
    /// <c>&lt;short&gt;-&lt;version&gt;&lt;release type suffix&gt;[-&lt;bp short&gt;][-&lt;bp version&gt;]</c> followed by
    /// one separator and a digit (so <c>-updates</c> never picks <c>-updates-testing</c>), whose STATUS is allowed,
    /// and returns the greatest by (id without respin, respin as a number). <paramref name="exclude"/> (the
    /// current compose directory) is never returned. Null when there is none.
    /// </summary>
    public static string? Find(IEnumerable<string> dirs, ComposeInfo compose, IReadOnlyCollection<string>? allowedStatuses = null, string? exclude = null)
    {
        allowedStatuses ??= DefaultStatuses;
        var pattern = $"{compose.Release.Short}-{compose.Release.Version}{compose.Release.TypeSuffix}";
        if (compose.BaseProduct is { } bp)
            pattern += $"-{bp.Short}-{bp.Version}";
        var excluded = exclude is null ? null : Path.GetFullPath(exclude).TrimEnd(Path.DirectorySeparatorChar);
        var found = new List<(string Prefix, long Respin, string Path)>();
        foreach (var dir in dirs)
        {
            if (!Directory.Exists(dir))
                continue;
            foreach (var sub in Directory.EnumerateDirectories(dir, pattern + "*"))
            {
                var name = Path.GetFileName(sub);
                var suffix = name[pattern.Length..];
                if (suffix.Length < 2 || !char.IsAsciiDigit(suffix[1]))
                    continue;
                var info = new DirectoryInfo(sub);
                if (info.LinkTarget is not null)
                    continue;
                var full = Path.GetFullPath(sub);
                if (full == excluded)
                    continue;
                var status = ComposeStatus.Read(full);
                if (status is null || !allowedStatuses.Contains(status))
                    continue;
                var dot = name.LastIndexOf('.');
                if (dot > 0 && long.TryParse(name[(dot + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var respin))
                    found.Add((name[..dot], respin, full));
                else
                    found.Add((name, -1, full));
            }
        }
        return found.Count == 0
            ? null
            : found.OrderBy(f => f.Prefix, StringComparer.Ordinal).ThenBy(f => f.Respin).Last().Path;
    }
}
