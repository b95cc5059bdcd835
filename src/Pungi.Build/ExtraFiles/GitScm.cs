using Pungi.Build.Diagnostics;
using Pungi.Build.Compose;

namespace Pungi.Build.ExtraFiles;

/// <summary>
/// Pungi's <c>GitWrapper._clone</c> (spec §2.21) with the <c>git</c> CLI: one commit of <c>repo</c>@<c>branch</c>
/// (a branch, tag or commit id; default <c>master</c>) into an empty directory.
/// </summary>
public static class GitScm
{
    /// <summary>Upstream's default when an scm dict has no branch.</summary>
    public const string DefaultBranch = "master";

    /// <summary>
    /// <c>git init</c>, <c>git fetch --depth=1 repo branch</c>, <c>git checkout FETCH_HEAD</c>; when the shallow fetch
    /// fails (a commit id the server will not serve by itself), a full fetch of <c>origin</c> and
    /// <c>git checkout branch</c>. Local paths become <c>file://</c> URLs, as upstream. Returns the commit checked out.
    /// </summary>
    public static string Checkout(string repo, string? branch, string destination, string logFile, CancellationToken ct = default)
    {
        branch = string.IsNullOrEmpty(branch) ? DefaultBranch : branch;
        var url = repo.Contains("://", StringComparison.Ordinal) ? repo : "file://" + Path.GetFullPath(repo);
        Directory.CreateDirectory(destination);
        Git(["init", "-q"], destination, logFile, ct);
        try
        {
            Git(["fetch", "-q", "--depth=1", url, branch], destination, logFile, ct);
            Git(["checkout", "-q", "FETCH_HEAD"], destination, logFile, ct);
        }
        catch (PungiException)
        {
            File.AppendAllText(logFile, "shallow fetch failed; trying a full clone\n");
            Git(["init", "-q"], destination, logFile, ct);
            Git(["remote", "add", "origin", url], destination, logFile, ct);
            Git(["remote", "update", "origin"], destination, logFile, ct);
            Git(["checkout", "-q", branch], destination, logFile, ct);
        }
        return Git(["rev-parse", "HEAD"], destination, logFile, ct).Trim();
    }

    private static string Git(IEnumerable<string> args, string dir, string logFile, CancellationToken ct)
        => LocalTool.Run("git", ["-c", "advice.detachedHead=false", .. args], dir, logFile, ErrorCodes.ScmGitFailed, ct);
}
