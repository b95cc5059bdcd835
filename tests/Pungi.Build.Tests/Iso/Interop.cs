using Xunit;
using System.Diagnostics;

namespace Pungi.Build.Tests.Iso;

/// <summary>
/// Runs the real tools. A missing tool skips the test with the reason, except under PUNGI_REQUIRE_INTEROP=1
/// (what CI sets after installing them), where it fails.
/// </summary>
internal static class Interop
{
    public static bool Required => Environment.GetEnvironmentVariable("PUNGI_REQUIRE_INTEROP") == "1";

    public static string? Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);

    /// <summary>Skips (or fails under PUNGI_REQUIRE_INTEROP=1) unless every tool is on PATH.</summary>
    public static void Require(params string[] tools)
    {
        var missing = tools.Where(t => Which(t) is null).ToList();
        if (missing.Count == 0) return;
        string why = $"missing tool(s): {string.Join(", ", missing)} (apt-get install -y xorriso genisoimage isomd5sum)";
        if (Required) Assert.Fail(why + " and PUNGI_REQUIRE_INTEROP=1");
        Skip.If(true, why);
    }

    public static (int Code, string Out, string Err) Run(string tool, params string[] args) => Run(null, tool, args);

    /// <summary>Runs a tool; <paramref name="encoding"/> decodes its output (isoinfo -J prints Latin-1).</summary>
    public static (int Code, string Out, string Err) Run(System.Text.Encoding? encoding, string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(Which(tool) ?? tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, StandardOutputEncoding = encoding };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["LANG"] = "C.UTF-8";
        psi.Environment["LC_ALL"] = "C.UTF-8";
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout, stderr.Result);
    }

    public static string RunOk(string tool, params string[] args)
    {
        var (code, stdout, stderr) = Run(tool, args);
        Assert.True(code == 0, $"{tool} {string.Join(' ', args)} exited {code}\n{stderr}\n{stdout}");
        return stdout;
    }
}
