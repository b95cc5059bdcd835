using System.Runtime.InteropServices;

namespace Pungi.Build.Compose;

/// <summary>The <c>latest-…</c> symlink beside the compose directory (spec §2.0.4).</summary>
public static class LatestLink
{
    /// <summary>
    /// <c>latest-&lt;short&gt;</c> when <paramref name="components"/> is 0; otherwise the version split on '.', cut to
    /// the first min(N, len) parts for N &gt; 0 or max(1, len+N) parts for N &lt; 0 (default -1: <c>41</c> → <c>41</c>,
    /// <c>8.4</c> → <c>8</c>), giving <c>latest-&lt;short&gt;-&lt;parts&gt;</c>; a layered compose appends
    /// <c>-&lt;bp_short&gt;-&lt;bp_version&gt;</c>.
    /// </summary>
    public static string Name(ComposeInfo compose, int components = -1)
    {
        var name = "latest-" + compose.Release.Short;
        if (components != 0)
        {
            var parts = compose.Release.Version.Split('.');
            var take = components > 0 ? Math.Min(components, parts.Length) : Math.Max(1, parts.Length + components);
            name += "-" + string.Join('.', parts.Take(take));
        }
        if (compose.BaseProduct is { } bp)
            name += $"-{bp.Short}-{bp.Version}";
        return name;
    }

    /// <summary>
    /// Pungi's <c>--latest-link-status</c>: with no list the link is always updated, otherwise only when the final
    /// status is one of the listed ones (case-insensitive).
    /// </summary>
    public static bool ShouldUpdate(string finalStatus, IReadOnlyCollection<string>? latestLinkStatus)
        => latestLinkStatus is not { Count: > 0 } || latestLinkStatus.Any(s => string.Equals(s, finalStatus, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Points <c>&lt;parent of topdir&gt;/&lt;name&gt;</c> at the compose directory's basename (a relative link),
    /// replacing an existing link atomically (a new link under a temporary name renamed over the old one).
    /// Returns false when the link already pointed there.
    /// </summary>
    public static bool Update(string topdir, string name)
    {
        var full = Path.GetFullPath(topdir).TrimEnd(Path.DirectorySeparatorChar);
        var parent = Path.GetDirectoryName(full)!;
        var target = Path.GetFileName(full);
        var link = Path.Combine(parent, name);
        var existing = new FileInfo(link);
        if (existing.LinkTarget == target)
            return false;
        var temp = Path.Combine(parent, $".{name}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        File.CreateSymbolicLink(temp, target);
        try
        {
            // rename(2) replaces the old link itself, never what it points to (File.Move refuses a link to a
            // directory as its source).
            if (OperatingSystem.IsWindows())
            {
                if (existing.LinkTarget is not null || existing.Exists)
                    File.Delete(link);
                Directory.Move(temp, link);
            }
            else if (Rename(temp, link) != 0)
            {
                throw new IOException($"Cannot replace {link}: {new System.ComponentModel.Win32Exception(Marshal.GetLastPInvokeError()).Message}");
            }
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        return true;
    }

    [DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int RenameZ(byte[] oldPath, byte[] newPath);

    private static int Rename(string oldPath, string newPath)
        => RenameZ(System.Text.Encoding.UTF8.GetBytes(oldPath + "\0"), System.Text.Encoding.UTF8.GetBytes(newPath + "\0"));
}
