using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;

namespace Pungi.Build.Tests.Build.PungiDummy;

/// <summary>
/// dnf for the pungi-dummy compose test: skip when it is missing, fail instead under PUNGI_REQUIRE_INTEROP=1
/// (DESIGN.md §6); and a small reader of a produced repo's primary.xml.gz for the package-level assertions.
/// </summary>
internal static class PungiDummyInterop
{
    public static bool HasDnf()
    {
        bool found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Any(d => d.Length > 0 && File.Exists(Path.Combine(d, "dnf")));
        if (!found && Environment.GetEnvironmentVariable("PUNGI_REQUIRE_INTEROP") == "1")
            throw new InvalidOperationException("dnf (with dnf-plugins-core) is required (PUNGI_REQUIRE_INTEROP=1) but not on PATH; apt-get install dnf dnf-plugins-core.");
        return found;
    }

    /// <summary>
    /// <c>dnf repoclosure</c> of <paramref name="repo"/> with <paramref name="lookaside"/> repos enabled but not checked,
    /// the pattern of toolchain-debian12.md (empty config, no system repos, forced arch). Returns
    /// "nevra needs dep" lines, empty when the repo is closed.
    /// </summary>
    public static List<string> Repoclosure(string arch, string repo, IReadOnlyList<string> lookaside, string workDir)
    {
        var config = Path.Combine(workDir, "dnf-empty.conf");
        if (!File.Exists(config)) File.WriteAllText(config, "");
        var psi = new ProcessStartInfo("dnf") { RedirectStandardOutput = true, RedirectStandardError = true };
        // The tree arch i386 is dnf's basearch of i686.
        var args = new List<string>
        {
            "-q", $"--config={config}", "--setopt=reposdir=/dev/null", $"--setopt=cachedir={Path.Combine(workDir, "dnf-cache")}",
            "--releasever=1", $"--forcearch={(arch == "i386" ? "i686" : arch)}", $"--repofrompath=r,{repo}", "--repo=r",
        };
        for (int i = 0; i < lookaside.Count; i++)
        {
            args.Add($"--repofrompath=p{i},{lookaside[i]}");
            args.Add($"--repo=p{i}");
        }
        args.AddRange(["repoclosure", "--check", "r"]);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var broken = ParseRepoclosure(stdout);
        // rc 1 with unresolved deps is the finding; any other failure is the tool not working.
        if (p.ExitCode != 0 && broken.Count == 0)
            throw new InvalidOperationException($"dnf {string.Join(' ', args)} exited {p.ExitCode}: {stderr.Result}{stdout}");
        return broken;
    }

    /// <summary>dnf prints "package: N-V-R.A from r", "  unresolved deps (n):", then one indented dep per line.</summary>
    private static List<string> ParseRepoclosure(string output)
    {
        var result = new List<string>();
        string? package = null;
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.StartsWith("package: ", StringComparison.Ordinal))
                package = line["package: ".Length..].Split(" from ")[0];
            else if (package != null && line.StartsWith("    ", StringComparison.Ordinal))
                result.Add($"{package} needs {line.Trim()}");
        }
        return result;
    }

    /// <summary>name.arch of every package in a repo's primary metadata (read through repomd.xml).</summary>
    public static SortedSet<string> Packages(string repo)
    {
        XNamespace repoNs = "http://linux.duke.edu/metadata/repo";
        XNamespace common = "http://linux.duke.edu/metadata/common";
        var repomd = XDocument.Load(Path.Combine(repo, "repodata", "repomd.xml"));
        var href = repomd.Root!.Elements(repoNs + "data").Single(d => (string?)d.Attribute("type") == "primary")
            .Element(repoNs + "location")!.Attribute("href")!.Value;
        using var file = File.OpenRead(Path.Combine(repo, href));
        using var gz = new GZipStream(file, CompressionMode.Decompress);
        var primary = XDocument.Load(gz);
        return new SortedSet<string>(primary.Root!.Elements(common + "package")
            .Select(e => $"{e.Element(common + "name")!.Value}.{e.Element(common + "arch")!.Value}"), StringComparer.Ordinal);
    }
}
