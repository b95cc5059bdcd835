using System.Text.Json;

namespace Pungi.Build.Tests.Build;

/// <summary>
/// variant_as_lookaside through a whole compose of the sample (spec §3.9): Workstation looks aside to Server, so what
/// Server ships Workstation takes from Server's lookaside repository and neither links nor lists it; its repoclosure
/// closes over that repository as upstream's does (the option gather appended to). Validate refuses a pair naming no variant.
/// </summary>
[Collection("spawned builds")]
public sealed class VariantAsLookasideBuildTests
{
    [Fact]
    public void Workstation_looking_aside_to_Server_ships_only_what_Server_lacks()
    {
        using var p = SampleCompose.Create();
        File.WriteAllText(p.ProjectPath, File.ReadAllText(p.ProjectPath).Replace(
            "<FilterPackage Include=\"sample-microcode\"",
            "<VariantAsLookaside Include=\"Workstation\" Lookaside=\"Server\" />\n    <FilterPackage Include=\"sample-microcode\"", StringComparison.Ordinal));
        var run = p.Build();
        Assert.True(run.ExitCode == 0, run.Describe());
        var top = SampleCompose.TopDir(p);
        Assert.Equal("FINISHED", File.ReadAllText(Path.Combine(top, "STATUS")).Trim());

        static HashSet<string> Linked(string dir) => Directory.EnumerateFiles(dir, "*.rpm", SearchOption.AllDirectories)
            .Select(f => Path.GetFileName(f)).ToHashSet(StringComparer.Ordinal);
        var server = Linked(Path.Combine(top, "compose", "Server", "x86_64", "os"));
        var workstation = Linked(Path.Combine(top, "compose", "Workstation", "x86_64", "os"));
        Assert.Contains("sample-glibc-2.38-7.x86_64.rpm", server);
        Assert.DoesNotContain("sample-glibc-2.38-7.x86_64.rpm", workstation);
        Assert.Empty(workstation.Intersect(server));
        Assert.NotEmpty(workstation);

        // rpms.json lists what was linked: nothing of Server's under Workstation.
        using (var rpms = JsonDocument.Parse(File.ReadAllText(Path.Combine(top, "compose", "metadata", "rpms.json"))))
        {
            var ws = rpms.RootElement.GetProperty("payload").GetProperty("rpms").GetProperty("Workstation").GetProperty("x86_64");
            var names = ws.EnumerateObject().SelectMany(srpm => srpm.Value.EnumerateObject().Select(r => r.Name)).ToList();
            Assert.DoesNotContain(names, n => n.StartsWith("sample-glibc-0:", StringComparison.Ordinal));
            Assert.NotEmpty(names);
        }

        // Server's lookaside repository exists and Workstation's repoclosure, which reads it, is clean.
        Assert.True(File.Exists(Path.Combine(top, "work", "x86_64", "Server", "lookaside_repo", "repodata", "repomd.xml")));
        Assert.DoesNotContain("Repoclosure of Workstation", run.Output);

        var bad = p.Build("-p:CustomAfterPungiBuildProps=" + p.Write("bad.props",
            "<Project><ItemGroup><VariantAsLookaside Include=\"Workstation\" Lookaside=\"Nope\" /></ItemGroup></Project>"));
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("error PUNGI1011", bad.Output);
    }
}
