using Xunit;
using System.Diagnostics;
using System.Text;

namespace Pungi.Build.Tests.Rpm;

/// <summary>
/// Runs the real rpm tools for interop tests. A missing tool skips the test with a visible reason, unless
/// PUNGI_REQUIRE_INTEROP=1, where it fails (CI installs the tools and sets it).
/// </summary>
internal static class RpmInterop
{
    public static bool RequireInterop => Environment.GetEnvironmentVariable("PUNGI_REQUIRE_INTEROP") == "1";

    /// <summary>Skips (or fails under PUNGI_REQUIRE_INTEROP=1) when <paramref name="tool"/> is not on PATH.</summary>
    public static string RequireTool(string tool)
    {
        var found = Find(tool);
        if (found is null)
        {
            if (RequireInterop)
                Assert.Fail($"{tool} is not installed but PUNGI_REQUIRE_INTEROP=1 (apt-get install rpm gnupg)");
            Skip.If(true, $"{tool} is not installed (apt-get install rpm); interop test skipped");
        }
        return found!;
    }

    public static string? Find(string tool)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (dir.Length == 0) continue;
            var p = Path.Combine(dir, tool);
            if (File.Exists(p)) return p;
        }
        return null;
    }

    /// <summary>Runs a tool, returns stdout; fails the test on a non-zero exit.</summary>
    public static string Run(string tool, IEnumerable<string> args, IDictionary<string, string>? env = null, string? stdin = null)
    {
        var psi = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        // rpm prints i18n strings for the C locale, as the reader does.
        psi.Environment["LC_ALL"] = "C.UTF-8";
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        if (stdin is not null) { p.StandardInput.Write(stdin); p.StandardInput.Close(); }
        var errTask = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        string err = errTask.Result;
        if (p.ExitCode != 0)
            Assert.Fail($"{tool} {string.Join(' ', psi.ArgumentList)} exited {p.ExitCode}: {err}");
        return output;
    }

    public static IEnumerable<string> AllDummyRpms()
        => Directory.EnumerateFiles(TestPaths.PungiDummyRpms, "*.rpm", SearchOption.AllDirectories).Order(StringComparer.Ordinal);
}
