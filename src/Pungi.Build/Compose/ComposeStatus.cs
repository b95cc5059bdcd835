using Pungi.Build.Diagnostics;

namespace Pungi.Build.Compose;

/// <summary>
/// <c>&lt;topdir&gt;/STATUS</c>: one word and a newline (Pungi <c>Compose.write_status</c>, spec §1.3).
/// DESIGN.md §3: a compose directory is a build output, so a rerun may rewrite STATUS from FINISHED to STARTED;
/// <c>protectFinished</c> gives upstream's rule (anything over FINISHED is an error) for published composes.
/// </summary>
public static class ComposeStatus
{
    public const string Started = "STARTED";
    public const string Finished = "FINISHED";
    public const string FinishedIncomplete = "FINISHED_INCOMPLETE";
    public const string Doomed = "DOOMED";
    public const string Terminated = "TERMINATED";

    public static IReadOnlyList<string> Standard { get; } = [Started, Finished, FinishedIncomplete, Doomed, Terminated];

    /// <summary>Pungi accepts other values but logs them as "nonstandard".</summary>
    public static bool IsStandard(string status) => Standard.Contains(status);

    public static string PathOf(string topdir) => Path.Combine(topdir, "STATUS");

    /// <summary>The current status word, or null when there is no STATUS file.</summary>
    public static string? Read(string topdir)
    {
        var path = PathOf(topdir);
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }

    /// <summary>
    /// Writes <paramref name="status"/> atomically. Writing the value already there is a no-op (returns false).
    /// With <paramref name="protectFinished"/> (upstream), writing anything over FINISHED throws PUNGI7001.
    /// </summary>
    public static bool Write(string topdir, string status, bool protectFinished = false)
    {
        if (string.IsNullOrWhiteSpace(status) || status.Any(char.IsWhiteSpace))
            throw new ArgumentException("A STATUS value is one word.", nameof(status));
        var current = Read(topdir);
        if (current == status)
            return false;
        if (protectFinished && current == Finished)
            throw new PungiException(ErrorCodes.StatusOverFinished,
                $"Compose {topdir} is FINISHED and may not be changed to {status}: start a new respin (NewRespin=true) or choose another ComposeDir.",
                PathOf(topdir));
        return AtomicFile.WriteIfChanged(PathOf(topdir), status + "\n");
    }
}
