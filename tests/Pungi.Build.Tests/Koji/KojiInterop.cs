using Xunit;

namespace Pungi.Build.Tests.Koji;

/// <summary>Interop guard: skip when a real tool is missing, fail instead when PUNGI_REQUIRE_INTEROP=1.</summary>
internal static class KojiInterop
{
    public static string? FindTool(string name)
        => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    public static string RequireTool(string name)
    {
        var path = FindTool(name);
        if (path is null && Environment.GetEnvironmentVariable("PUNGI_REQUIRE_INTEROP") == "1")
            throw new InvalidOperationException($"{name} is required (PUNGI_REQUIRE_INTEROP=1) but not on PATH");
        Skip.If(path is null, $"{name} is not installed");
        return path!;
    }

    public static string Run(string tool, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return o;
    }
}
