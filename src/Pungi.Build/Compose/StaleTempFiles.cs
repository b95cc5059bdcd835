using System.Text.RegularExpressions;

namespace Pungi.Build.Compose;

/// <summary>
/// The temporary files a killed build can leave behind: every writer in the compose writes to a temporary name beside
/// its target and renames it into place (DESIGN.md §5), so a SIGKILL mid-write leaves only such a file, never a
/// half-written target. The next build, holding the compose lock (so no other build can be writing), removes them.
/// </summary>
public static partial class StaleTempFiles
{
    // The temp names of AtomicFile and LatestLink (.name.tmp-PID-GUID), the repodata writers (.name.GUID.tmp),
    // IsoWriter and Createiso (.name.PID[.TID].tmp) and PackageLinker's copies (name.tmp-PID).
    [GeneratedRegex(@"^(\..+\.tmp-\d+-[0-9a-f]{32}|\..+\.[0-9a-f]{32}\.tmp|\..+\.\d+(\.\d+)?\.tmp|.+\.tmp-\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex TempName();

    public static bool IsTempName(string fileName) => TempName().IsMatch(fileName);

    // MSBuild's own WriteLinesToFile (the settings stamps under work/*/stamps/) writes a random-named "xxxxxxxx.xxx~"
    // beside its target and moves it into place: a kill in between leaves one.
    [GeneratedRegex(@"^[a-z0-9]{8}\.[a-z0-9]{3}~$", RegexOptions.CultureInvariant)]
    private static partial Regex MSBuildTempName();

    /// <summary>Whether <paramref name="path"/> is a writer's temporary file (ours anywhere, MSBuild's in a stamps folder).</summary>
    public static bool IsTempFile(string path)
        => IsTempName(Path.GetFileName(path))
           || (MSBuildTempName().IsMatch(Path.GetFileName(path)) && Path.GetFileName(Path.GetDirectoryName(path)) == "stamps");

    /// <summary>Deletes the leftover temporary files under <paramref name="topdir"/>; returns how many.</summary>
    public static int Remove(string topdir)
    {
        if (!Directory.Exists(topdir)) return 0;
        int removed = 0;
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        foreach (var file in Directory.EnumerateFiles(topdir, "*", options))
        {
            if (!IsTempFile(file)) continue;
            try
            {
                File.Delete(file);
                removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left for the next run; the file has a dot/temp name no phase reads.
            }
        }
        return removed;
    }
}
