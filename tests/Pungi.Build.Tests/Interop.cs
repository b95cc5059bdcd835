using System.Diagnostics;

namespace Pungi.Build.Tests;

/// <summary>
/// The real tools the interop tests hold our output against. A missing tool skips the test with its reason, or fails it
/// when <c>PUNGI_REQUIRE_INTEROP=1</c> (what <c>.ci/run</c> sets after installing them).
/// </summary>
internal static class Interop
{
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
