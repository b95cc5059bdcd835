using Xunit;
using Pungi.Build.Repodata;

namespace Pungi.Build.Tests.Repodata;

/// <summary>
/// Issue 7's yardstick: <c>dnf repoquery --qf</c> with every package field dnf exposes, run on our repodata and on
/// createrepo_c's for the same packages, must print the same. One dnf invocation per side and arch, with every repo
/// of that arch enabled under its own id (<c>%{repoid}</c> is the first field), keeps it to a few seconds.
/// </summary>
internal static class RepoqueryComparison
{
    /// <summary>Every field of issue 7's list; <c>changelogs</c> needs the other.xml loader plugin below.</summary>
    public const string QueryFormat = "%{repoid}|%{name}|%{epoch}|%{version}|%{release}|%{arch}|%{summary}|%{description}|%{url}|%{license}"
        + "|%{buildtime}|%{size}|%{sourcerpm}|%{requires}|%{provides}|%{conflicts}|%{obsoletes}|%{recommends}|%{suggests}"
        + "|%{supplements}|%{enhances}|%{files}|%{changelogs}";

    // dnf 4 loads other.xml (changelogs) only for `repoquery --changelogs`, which replaces --qf's output; this plugin
    // sets the same demand so %{changelogs} is filled in a --qf query.
    private const string LoadOtherPlugin = """
        import dnf
        class LoadOther(dnf.Plugin):
            name = 'pungiloadother'
            def config(self):
                if self.cli is not None:
                    self.cli.demands.changelogs = True
        """;

    /// <summary>
    /// createrepo_c over <paramref name="repoDir"/> restricted (<c>--pkglist</c>) to the packages our primary lists,
    /// into <paramref name="outputDir"/>: the reference repodata for exactly the same RPMs.
    /// </summary>
    public static void CreaterepoCSamePackages(string repoDir, string outputDir, string scratch)
    {
        var list = Path.Combine(scratch, Guid.NewGuid().ToString("N")[..8] + ".pkglist");
        File.WriteAllLines(list, RepodataReader.Read(repoDir).Select(p => p.Location));
        Directory.CreateDirectory(outputDir);
        Interop.Run("createrepo_c", "-q", "--no-database", "--pkglist", list, "--outputdir", outputDir, repoDir);
    }

    /// <summary>
    /// Runs one repoquery over all <paramref name="repos"/> (id, path) with <c>--forcearch</c>; returns its lines in
    /// dnf's order (dnf sorts the formatted records, so equal metadata gives equal order).
    /// </summary>
    public static List<string> Query(IReadOnlyList<(string Id, string Path)> repos, string forceArch, string scratch)
    {
        var plugins = Path.Combine(scratch, "dnf-plugins");
        Directory.CreateDirectory(plugins);
        File.WriteAllText(Path.Combine(plugins, "pungiloadother.py"), LoadOtherPlugin);
        var config = Path.Combine(scratch, "dnf-empty.conf");
        File.WriteAllText(config, "[main]\ngpgcheck=0\n");
        var args = new List<string>
        {
            "-q", $"--config={config}", "--setopt=reposdir=/dev/null", $"--setopt=pluginpath={plugins}",
            $"--setopt=cachedir={Path.Combine(scratch, "dnf-cache-" + Guid.NewGuid().ToString("N")[..8])}",
            "--releasever=1", $"--forcearch={forceArch}",
        };
        foreach (var (id, path) in repos)
        {
            args.Add($"--repofrompath={id},{path}");
            args.Add($"--repo={id}");
        }
        args.AddRange(["repoquery", "--qf", QueryFormat]);
        return Interop.Run("dnf", [.. args]).Split('\n').Where(l => l.Length > 0).ToList();
    }

    /// <summary>
    /// Asserts both sides print the same lines, naming the first repo and field that differ (the message is what a
    /// reader needs to find the writer bug).
    /// </summary>
    public static void AssertSame(List<string> ours, List<string> theirs, string what)
    {
        Assert.True(ours.Count > 0, $"{what}: dnf listed no package on our repodata");
        var onlyOurs = ours.Except(theirs, StringComparer.Ordinal).ToList();
        var onlyTheirs = theirs.Except(ours, StringComparer.Ordinal).ToList();
        if (ours.SequenceEqual(theirs, StringComparer.Ordinal)) return;
        string detail = "";
        if (onlyOurs.Count > 0 && onlyTheirs.Count > 0)
        {
            var a = onlyOurs[0].Split('|');
            var b = onlyTheirs[0].Split('|');
            var fields = QueryFormat.Split('|');
            int i = Enumerable.Range(0, Math.Min(a.Length, b.Length)).FirstOrDefault(k => a[k] != b[k]);
            detail = $" first difference in {(i < fields.Length ? fields[i] : "field " + i)}: ours '{a[i]}' createrepo_c '{b[i]}'";
        }
        Assert.Fail($"{what}: {onlyOurs.Count} lines only on ours, {onlyTheirs.Count} only on createrepo_c's;{detail}\nours: "
            + string.Join("\n", onlyOurs.Take(3)) + "\ncreaterepo_c: " + string.Join("\n", onlyTheirs.Take(3)));
    }
}
