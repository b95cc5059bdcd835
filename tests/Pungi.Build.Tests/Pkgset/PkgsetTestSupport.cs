using System.Diagnostics;
using Pungi.Build.Pkgset;
using Pungi.Build.Rpm;
using Xunit;

namespace Pungi.Build.Tests.Pkgset;

/// <summary>A temporary directory removed when the test ends.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pkgset-test-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }
    public string Sub(string name)
    {
        var p = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(p);
        return p;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>A source of hand-made packages (no files), to pin the set rules without RPMs on disk.</summary>
internal sealed class FakeSource(params RpmCandidate[] candidates) : IPackageSetSource
{
    public string Name => "repos";
    public string PathPrefix => "/virtual/";
    public IReadOnlyList<RpmCandidate> GetCandidates(ICollection<PkgsetWarning> warnings) => candidates;

    /// <summary>A package as NEVRA string <c>name-version-release.arch</c> (epoch via <paramref name="epoch"/>).</summary>
    public static RpmCandidate Pkg(string nvra, string? sourceRpm = null, string? key = null, string[]? excludeArch = null,
        string[]? exclusiveArch = null, string? repo = "r1", string[]? forArches = null, string? epoch = null)
    {
        int dot = nvra.LastIndexOf('.');
        string arch = nvra[(dot + 1)..], nvr = nvra[..dot];
        int r = nvr.LastIndexOf('-'), v = nvr.LastIndexOf('-', r - 1);
        var p = new RpmPackage
        {
            Name = nvr[..v], Version = nvr[(v + 1)..r], Release = nvr[(r + 1)..], Arch = arch, Epoch = epoch,
            SourceRpm = arch is "src" or "nosrc" ? "" : sourceRpm ?? $"{nvr[..v]}-{nvr[(v + 1)..r]}-{nvr[(r + 1)..]}.src.rpm",
            SignatureKeyId = key is null ? null : "00000000" + key,
            ExcludeArch = excludeArch ?? [], ExclusiveArch = exclusiveArch ?? [],
            Location = nvra + ".rpm",
        };
        return new RpmCandidate($"/virtual/{repo}/{nvra}.rpm", $"/virtual/{repo}", forArches ?? [], p);
    }
}

internal static class PkgsetTestSupport
{
    public static bool RequireInterop => Environment.GetEnvironmentVariable("PUNGI_REQUIRE_INTEROP") == "1";

    /// <summary>Skips when a tool is missing, fails instead under PUNGI_REQUIRE_INTEROP=1.</summary>
    public static void RequireTools(params string[] tools)
    {
        foreach (var tool in tools)
        {
            bool found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
                .Any(d => d.Length > 0 && File.Exists(System.IO.Path.Combine(d, tool)));
            if (found) continue;
            if (RequireInterop) Assert.Fail($"{tool} is required (PUNGI_REQUIRE_INTEROP=1) but not on PATH (apt-get install rpm gnupg)");
            Skip.If(true, $"{tool} is not installed (apt-get install rpm gnupg); signed-package test skipped");
        }
    }

    public static string Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} {string.Join(' ', args)} failed ({p.ExitCode}): {stderr}");
        return stdout.Result;
    }

    public static HashSet<string> Nevras(PackageSet set) => set.Packages.Select(e => e.Summary.Nevra).ToHashSet();

    public static Dictionary<string, int> CountByArch(PackageSet set)
        => set.Packages.GroupBy(e => e.Summary.Arch).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>A repository of the dummy RPMs of <paramref name="subdirs"/> (arch folders), copied so a test may change it.</summary>
    public static string CopyRepo(TempDir tmp, params string[] subdirs)
    {
        string repo = tmp.Sub("repo");
        foreach (var d in subdirs)
        {
            string to = Path.Combine(repo, d);
            Directory.CreateDirectory(to);
            foreach (var f in Directory.GetFiles(Path.Combine(TestPaths.PungiDummyRpms, d)))
                File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
        }
        return repo;
    }
}
