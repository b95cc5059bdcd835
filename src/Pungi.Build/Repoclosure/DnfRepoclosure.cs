using Pungi.Build.Diagnostics;
using Pungi.Build.Compose;

namespace Pungi.Build.Repoclosure;

/// <summary>One repository handed to <c>dnf repoclosure</c>: its id and a local path or URL.</summary>
public sealed record ClosureRepo(string Id, string Location);

/// <summary>
/// The Repoclosure phase's <c>dnf</c> backend (spec §2.18, upstream <c>pungi/wrappers/repoclosure.py</c>): the variant's
/// repository checked with <c>dnf repoclosure</c>, its parent's and the lookaside repositories enabled beside it. The
/// tool's own output is the log; an exit of 1 with unresolved dependencies is a finding, any other failure an error.
/// </summary>
public static class DnfRepoclosure
{
    /// <summary>
    /// Upstream's argument list, in its order: every <c>--arch</c>, <c>--forcearch=</c> the first arch, then per checked
    /// repository <c>--repofrompath=id,url --repo=id --check=id</c>, per lookaside <c>--repofrompath=id,url --repo=id</c>.
    /// <paramref name="hostOptions"/> go before the <c>repoclosure</c> command: on a host that is not the distribution being
    /// composed dnf must not read the host's repositories or cache (an empty config, no reposdir, a private cachedir).
    /// </summary>
    public static IReadOnlyList<string> Arguments(IReadOnlyList<string> arches, IReadOnlyList<ClosureRepo> check,
        IReadOnlyList<ClosureRepo> lookaside, IReadOnlyList<string>? hostOptions = null)
    {
        var args = new List<string>(hostOptions ?? []) { "repoclosure" };
        args.AddRange(arches.Select(a => "--arch=" + a));
        if (arches.Count > 0) args.Add("--forcearch=" + arches[0]);
        foreach (var r in check)
        {
            args.Add($"--repofrompath={r.Id},{ToUrl(r.Location)}");
            args.Add("--repo=" + r.Id);
            args.Add("--check=" + r.Id);
        }
        foreach (var r in lookaside)
        {
            args.Add($"--repofrompath={r.Id},{ToUrl(r.Location)}");
            args.Add("--repo=" + r.Id);
        }
        return args;
    }

    /// <summary>Upstream's <c>_to_url</c>: a local path becomes <c>file://</c> + its absolute path; a URL stays.</summary>
    public static string ToUrl(string location)
        => location.Contains("://", StringComparison.Ordinal) ? location : "file://" + Path.GetFullPath(location);

    /// <summary>
    /// The findings of dnf's report: "package: N-[E:]V-R.A from repo", "  unresolved deps (n):", then one indented dep per
    /// line. Returned as (package NEVRA, requirement) pairs in the order printed.
    /// </summary>
    public static IReadOnlyList<(string Package, string Requirement)> Parse(string output)
    {
        var result = new List<(string, string)>();
        string? package = null;
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("package: ", StringComparison.Ordinal))
            {
                var rest = line["package: ".Length..];
                int from = rest.IndexOf(" from ", StringComparison.Ordinal);
                package = from < 0 ? rest : rest[..from];
            }
            else if (package != null && line.StartsWith("    ", StringComparison.Ordinal) && line.Trim().Length > 0)
                result.Add((package, line.Trim()));
            else if (!line.StartsWith("  ", StringComparison.Ordinal))
                package = null;
        }
        return result;
    }

    /// <summary>
    /// Runs <c>dnf</c> with <paramref name="args"/>, its output appended to <paramref name="logFile"/>, and returns the
    /// findings. Exit 0 is a closed repository; exit 1 with findings is breakage; anything else fails with
    /// <see cref="ErrorCodes.RepoclosureToolFailed"/> quoting the log's last lines.
    /// </summary>
    public static IReadOnlyList<(string Package, string Requirement)> Run(IReadOnlyList<string> args, string workingDirectory,
        string logFile, CancellationToken ct = default)
    {
        var (exit, output) = LocalTool.RunAllowingFailure("dnf", args, workingDirectory, logFile, ErrorCodes.RepoclosureToolFailed, ct);
        var broken = Parse(output);
        if (exit == 0 || (exit == 1 && broken.Count > 0)) return broken;
        throw LocalTool.Failure(ErrorCodes.RepoclosureToolFailed, "dnf", args, exit, output, logFile);
    }
}
