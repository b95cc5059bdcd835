using Xunit;
using System.Diagnostics;

namespace Pungi.Build.Tests.Comps;

/// <summary>Interop tests skip with a reason when a real tool is missing, and fail instead when
/// <c>PUNGI_REQUIRE_INTEROP=1</c> (DESIGN.md §6).</summary>
internal static class CompsInterop
{
    public static bool RequireInterop => Environment.GetEnvironmentVariable("PUNGI_REQUIRE_INTEROP") == "1";

    public static void SkipUnless(bool available, string reason)
    {
        if (available)
            return;
        if (RequireInterop)
            throw new InvalidOperationException($"PUNGI_REQUIRE_INTEROP=1 but {reason}");
        Skip.If(true, reason);
    }

    public static string OracleScript => Path.Combine(TestPaths.RepoRoot, "tests", "Pungi.Build.Tests", "Comps", "Oracle", "pungi_comps_oracle.py");

    private static readonly Lazy<bool> OracleAvailable = new(() =>
        File.Exists("/usr/bin/python3") && Run("/usr/bin/python3", ["-c", "import lxml.etree, libcomps"]).ExitCode == 0);

    /// <summary>The Python oracle needs Debian's python3-lxml and python3-libcomps.</summary>
    public static void RequireOracle()
        => SkipUnless(OracleAvailable.Value, "/usr/bin/python3 with python3-lxml and python3-libcomps is not installed (apt-get install python3-lxml python3-libcomps)");

    public static string? FindTool(string name)
        => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    public static (int ExitCode, string Stdout, string Stderr) Run(string file, IEnumerable<string> args, string? workDir = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        if (workDir != null)
            psi.WorkingDirectory = workDir;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr);
    }

    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "pungi-comps-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}
