using Pungi.Build.Diagnostics;

namespace Pungi.Build.Compose;

/// <summary>
/// Picks and prepares the compose directory <c>&lt;target&gt;/&lt;compose id&gt;</c> (DESIGN.md §3).
/// By default the directory for the given respin is reused, so rerunning the same day updates the same compose.
/// With <c>newRespin</c>, upstream's rule: starting at the given respin, take the first id whose directory does not
/// exist yet (Pungi retries <c>mkdir</c> with respin + 1).
/// </summary>
public static class ComposeDirectory
{
    public const string ComposeIdFileName = "COMPOSE_ID";

    /// <summary>
    /// Returns the compose (its respin possibly raised) and the created topdir. Writes <c>COMPOSE_ID</c> (no newline)
    /// only when it changes.
    /// </summary>
    public static (ComposeInfo Compose, string Topdir) Prepare(string targetDir, ComposeInfo compose, bool newRespin = false)
    {
        Directory.CreateDirectory(targetDir);
        string topdir;
        if (!newRespin)
        {
            topdir = Path.Combine(targetDir, compose.Id);
            Directory.CreateDirectory(topdir);
        }
        else
        {
            const int limit = 10000;
            for (var respin = compose.Respin; ; respin++)
            {
                if (respin - compose.Respin > limit)
                    throw new PungiException(ErrorCodes.ComposeDirUnavailable,
                        $"No free respin directory for {compose.Id} under {targetDir} after {limit} tries.", targetDir);
                var candidate = compose.WithRespin(respin);
                topdir = Path.Combine(targetDir, candidate.Id);
                if (Directory.Exists(topdir) || File.Exists(topdir))
                    continue;
                Directory.CreateDirectory(topdir);
                compose = candidate;
                break;
            }
        }
        AtomicFile.WriteIfChanged(Path.Combine(topdir, ComposeIdFileName), compose.Id);
        return (compose, topdir);
    }

    /// <summary>Prepares an exact directory (Pungi's <c>--compose-dir</c>, the ComposeDir property).</summary>
    public static string PrepareExact(string composeDir, ComposeInfo compose)
    {
        Directory.CreateDirectory(composeDir);
        AtomicFile.WriteIfChanged(Path.Combine(composeDir, ComposeIdFileName), compose.Id);
        return composeDir;
    }
}
