using System.Globalization;
using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Report;

/// <summary>
/// The compose a report compares against (issue #15): the <c>PreviousCompose</c> property when given; otherwise what
/// the release's <c>latest-…</c> link pointed at before this compose started. FinishCompose moves that link to this
/// compose, so a rerun of the same compose finds it pointing here; then (and when there is no link) the newest other
/// FINISHED compose of the same release that sorts before this one is taken, as <c>util.find_old_compose</c> orders
/// them (name without respin, then respin).
/// </summary>
public static class PreviousCompose
{
    public static string? Find(string topdir, ComposeInfo compose, string? explicitPath = null, int latestLinkComponents = -1)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            if (!Directory.Exists(explicitPath))
                throw new PungiException(ErrorCodes.ReportPreviousMissing, $"PreviousCompose '{explicitPath}' does not exist.", explicitPath);
            return Path.GetFullPath(explicitPath);
        }
        var self = Path.GetFullPath(topdir).TrimEnd(Path.DirectorySeparatorChar);
        var parent = Path.GetDirectoryName(self);
        if (parent is null || !Directory.Exists(parent)) return null;
        var selfKey = SortKey(Path.GetFileName(self));

        var link = new DirectoryInfo(Path.Combine(parent, LatestLink.Name(compose, latestLinkComponents)));
        if (link.LinkTarget is { } target)
        {
            var resolved = Path.GetFullPath(target, parent).TrimEnd(Path.DirectorySeparatorChar);
            if (resolved != self && Directory.Exists(resolved) && ComposeStatus.Read(resolved) == ComposeStatus.Finished
                && Compare(SortKey(Path.GetFileName(resolved)), selfKey) < 0)
                return resolved;
        }

        var pattern = $"{compose.Release.Short}-{compose.Release.Version}{compose.Release.TypeSuffix}";
        if (compose.BaseProduct is { } bp)
            pattern += $"-{bp.Short}-{bp.Version}";
        string? best = null;
        (string, long) bestKey = default;
        foreach (var dir in Directory.EnumerateDirectories(parent, pattern + "*"))
        {
            var name = Path.GetFileName(dir);
            var suffix = name[pattern.Length..];
            // One separator then a digit: "-updates" never picks "-updates-testing" (find_old_compose).
            if (suffix.Length < 2 || !char.IsAsciiDigit(suffix[1])) continue;
            if (new DirectoryInfo(dir).LinkTarget is not null) continue;
            var full = Path.GetFullPath(dir).TrimEnd(Path.DirectorySeparatorChar);
            if (full == self || ComposeStatus.Read(full) != ComposeStatus.Finished) continue;
            var key = SortKey(name);
            if (Compare(key, selfKey) >= 0) continue;
            if (best is null || Compare(key, bestKey) > 0)
                (best, bestKey) = (full, key);
        }
        return best;
    }

    private static (string Prefix, long Respin) SortKey(string name)
    {
        var dot = name.LastIndexOf('.');
        return dot > 0 && long.TryParse(name[(dot + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var respin)
            ? (name[..dot], respin) : (name, -1);
    }

    private static int Compare((string Prefix, long Respin) a, (string Prefix, long Respin) b)
    {
        int c = string.CompareOrdinal(a.Prefix, b.Prefix);
        return c != 0 ? c : a.Respin.CompareTo(b.Respin);
    }
}
