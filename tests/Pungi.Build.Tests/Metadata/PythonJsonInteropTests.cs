using System.Diagnostics;
using Pungi.Build.Compose;
using Pungi.Build.Metadata;
using Pungi.Build.Tests.Compose;
using Pungi.Build.Variants;
using Xunit;

namespace Pungi.Build.Tests.Metadata;

/// <summary>Skips an interop test when its tool is missing, unless PUNGI_REQUIRE_INTEROP=1 demands it.</summary>
internal static class MetadataInterop
{
    public static string? Find(string tool)
    {
        // Debian's own binary first: version-manager shims on PATH cost seconds per start.
        if (File.Exists(Path.Combine("/usr/bin", tool)))
            return Path.Combine("/usr/bin", tool);
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            var p = Path.Combine(dir, tool);
            if (File.Exists(p))
                return p;
        }
        return null;
    }

    public static string Require(string tool, string debianPackage)
    {
        var path = Find(tool);
        if (path is null && Environment.GetEnvironmentVariable("PUNGI_REQUIRE_INTEROP") == "1")
            Assert.Fail($"{tool} is required (PUNGI_REQUIRE_INTEROP=1): apt-get install {debianPackage}");
        Skip.If(path is null, $"{tool} not installed (apt-get install {debianPackage})");
        return path!;
    }

    public static string Run(string exe, params string[] args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{exe} failed: {stderr}");
        return stdout.Result;
    }
}

/// <summary>
/// productmd writes JSON with Python's json module; these tests hold our writer against the real thing on content
/// with non-ASCII text, escapes and nesting (python3 re-dumps what it loads from our file with productmd's call).
/// </summary>
public class PythonJsonInteropTests
{
    private const string Dump =
        "import json,sys\nd=json.load(open(sys.argv[1],encoding='utf-8'))\nsys.stdout.write(json.dumps(d,indent=4,sort_keys=True,separators=(',', ': ')))";

    private static void AssertPythonAgrees(string path)
    {
        var python = MetadataInterop.Require("python3", "python3");
        Assert.Equal(MetadataInterop.Run(python, "-c", Dump, path), File.ReadAllText(path));
    }

    [SkippableFact]
    public void Composeinfo_with_non_ascii_names_matches_python_json_dump()
    {
        using var tmp = new TempDir();
        var model = VariantModel.FromInline(
        [
            new InlineVariant { Include = "Server", Name = "Sérveur \"quoted\" \\ tab\t ✓ 😀", Arches = ["x86_64", "aarch64"] },
            new InlineVariant { Include = "Server-optional", Parent = "Server", Type = "optional", Arches = ["aarch64"] },
            new InlineVariant { Include = "Everything", Arches = ["s390x"] },
        ]);
        var ci = ComposeInfo.Create(new ReleaseInfo("Fedöra", "Fedora", "41", "updates", true), new ReleaseInfo("Base", "B", "9"), "ci", "20261127", 12, "Beta-1.2");
        var path = Path.Combine(tmp.Path, "composeinfo.json");
        ComposeInfoJson.Write(path, ComposeInfoJson.FromCompose(ci, model, new ComposeLayout(tmp.Path)));
        AssertPythonAgrees(path);
    }

    [SkippableFact]
    public void Streamed_rpms_json_matches_python_json_dump()
    {
        using var tmp = new TempDir();
        var r = new RpmsJson(new ComposeHeader("Fedora-41-20261127.n.0", "nightly", "20261127", 0, "RC-1.0", true));
        for (var i = 0; i < 50; i++)
        {
            var srpm = $"pkg{i}-0:1.{i}-1.fc41.src";
            r.Add(i % 2 == 0 ? "Server" : "Everything", "x86_64", srpm, $"S/source/tree/Packages/p/pkg{i}-1.{i}-1.fc41.src.rpm", null, "source");
            r.Add(i % 2 == 0 ? "Server" : "Everything", "x86_64", $"pkg{i}-2:1.{i}-1.fc41.x86_64", $"S/x86_64/os/Packages/p/pkg{i}.rpm", "ABCD1234", "binary", srpm);
        }
        var path = Path.Combine(tmp.Path, "rpms.json");
        r.Write(path);
        AssertPythonAgrees(path);
    }
}
