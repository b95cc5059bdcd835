using Xunit;
using System.Diagnostics;
using Pungi.Build.Compression;

namespace Pungi.Build.Tests.Repodata;

/// <summary>Temp directories, fixture paths and real-tool runs for the repodata tests.</summary>
internal static class RepodataTestSupport
{
    public static string DummyRepos => Path.Combine(TestPaths.Fixtures, "pungi-dummy", "repos");

    public static string DummyComps => Path.Combine(TestPaths.Fixtures, "pungi-dummy", "dummy-comps.xml");

    public static string TempDir(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "pungi-repodata-tests", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Decompressed text of a repodata file.</summary>
    public static string ReadText(string path)
    {
        using var s = Compressor.OpenRead(path);
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }

    /// <summary>
    /// Skips the test when a real tool is missing — or fails it when PUNGI_REQUIRE_INTEROP=1 (CI installs them).
    /// </summary>
    public static void RequireTool(string tool)
    {
        bool found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Any(d => d.Length > 0 && File.Exists(Path.Combine(d, tool)));
        if (found) return;
        if (Environment.GetEnvironmentVariable("PUNGI_REQUIRE_INTEROP") == "1")
            throw new InvalidOperationException($"{tool} is required (PUNGI_REQUIRE_INTEROP=1) but not on PATH; apt-get install it.");
        Skip.If(true, $"{tool} not installed; interop test skipped");
    }

    /// <summary>Runs a tool, returns stdout; throws with stderr when it fails.</summary>
    public static string Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {p.ExitCode}: {stderr.Result}{stdout.Result}");
        return stdout.Result;
    }
}
