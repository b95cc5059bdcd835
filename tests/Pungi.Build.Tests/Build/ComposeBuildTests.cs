using System.Text.Json;

namespace Pungi.Build.Tests.Build;

/// <summary>
/// End-to-end builds of the sample product with a spawned <c>dotnet build</c>, asserting on the compose tree and, through
/// the binlog, on which phase targets ran and which were skipped as up to date (issue 2, DESIGN.md §1 and §6).
/// </summary>
[Collection("spawned builds")]
public sealed class ComposeBuildTests
{
    private static readonly string[] Phases = ["Init", "Pkgset", "Gather", "LinkPackages", "Createrepo"];
    private static readonly string[] VariantArchPhases = ["LinkPackages", "Createrepo"];

    [Fact]
    public void SampleComposes_ThenNoOpRebuildRunsNoPhase()
    {
        using var p = SampleCompose.Create();
        var first = p.Build();
        Assert.True(first.ExitCode == 0, first.Describe());
        var top = SampleCompose.TopDir(p);
        Assert.Equal("SAMPLE-1.0-20261127.t.0", File.ReadAllText(Path.Combine(top, "COMPOSE_ID")));
        Assert.Equal("FINISHED", File.ReadAllText(Path.Combine(top, "STATUS")).Trim());
        // §2.0.4: latest-<short>-<major>, relative link to the compose directory's basename.
        Assert.Equal("SAMPLE-1.0-20261127.t.0", new FileInfo(Path.Combine(p.Dir, "bin", "latest-SAMPLE-1")).LinkTarget);
        using (var info = JsonDocument.Parse(File.ReadAllText(Path.Combine(top, "compose", "metadata", "composeinfo.json"))))
        {
            Assert.Equal("productmd.composeinfo", info.RootElement.GetProperty("header").GetProperty("type").GetString());
            Assert.Equal("1.2", info.RootElement.GetProperty("header").GetProperty("version").GetString());
            var variants = info.RootElement.GetProperty("payload").GetProperty("variants");
            Assert.Equal("Server/x86_64/os", variants.GetProperty("Server").GetProperty("paths").GetProperty("repository").GetProperty("x86_64").GetString());
        }
        Assert.True(File.Exists(Path.Combine(top, "compose", "Server", "x86_64", "os", "repodata", "repomd.xml")));
        Assert.True(File.Exists(Path.Combine(top, "compose", "Server", "x86_64", "os", "addons", "HighAvailability", "repodata", "repomd.xml")));
        Assert.True(File.Exists(Path.Combine(top, "compose", "Workstation", "source", "tree", "repodata", "repomd.xml")));
        // Every phase ran on the cold build, every variant.arch instance included (4 variants x {x86_64, src}).
        Assert.Equal(8, first.Ran("Createrepo").Count);

        var second = p.Build();
        Assert.True(second.ExitCode == 0, second.Describe());
        var ran = second.Ran(Phases);
        Assert.True(ran.Count == 0, "a no-op rebuild ran: " + string.Join(", ", ran.Select(r => r.Instance)));
        Assert.Equal(8, second.Targets("Createrepo").Count);
        Assert.Equal("FINISHED", File.ReadAllText(Path.Combine(top, "STATUS")).Trim());
    }

    [Fact]
    public void ChangingOneVariant_RerunsOnlyThatVariantsInstances()
    {
        using var p = SampleCompose.Create();
        Assert.Equal(0, p.Build().ExitCode);
        var variants = Path.Combine(p.Dir, "variants.xml");
        File.WriteAllText(variants, File.ReadAllText(variants).Replace("name=\"Workstation\"", "name=\"Workstation Edition\"", StringComparison.Ordinal));
        var run = p.Build();
        Assert.True(run.ExitCode == 0, run.Describe());
        var ran = run.Ran(VariantArchPhases);
        Assert.NotEmpty(ran);
        Assert.All(ran, r => Assert.Equal("Workstation", r.Variant));
        Assert.Contains(ran, r => r.Name == "Createrepo" && r.Arch == "x86_64");
        Assert.Contains(ran, r => r.Name == "Createrepo" && r.Arch == "src");
    }

    [Fact]
    public void ChangingAReleaseProperty_RerunsEveryTreeThatCarriesIt()
    {
        using var p = SampleCompose.Create();
        Assert.Equal(0, p.Build().ExitCode);
        var run = p.Build("-p:ReleaseName=Sample Product Renamed");
        Assert.True(run.ExitCode == 0, run.Describe());
        // The release enters every tree's metadata, so every variant.arch instance reruns; the package set does not.
        Assert.Equal(8, run.Ran("Createrepo").Count);
        Assert.Empty(run.Ran("Pkgset"));
    }

    [Fact]
    public void VariantArchInstancesRunInParallel()
    {
        using var p = SampleCompose.Create();
        var run = p.Build("-m:2");
        Assert.True(run.ExitCode == 0, run.Describe());
        var instances = run.Log.FindChildrenRecursive<Microsoft.Build.Logging.StructuredLogger.Project>(
                pr => pr.GlobalProperties != null && pr.GlobalProperties.ContainsKey("Variant"))
            .Select(pr => (pr.StartTime, pr.EndTime, Node: pr.NodeId, Key: pr.GlobalProperties["Variant"] + "." + pr.GlobalProperties["Arch"])).ToList();
        // Image phases (Createiso) fan out a second time over the same instances: count distinct variant.arch.
        Assert.Equal(8, instances.Select(i => i.Key).Distinct().Count());
        bool overlap = instances.Any(a => instances.Any(b => a != b && a.StartTime < b.EndTime && b.StartTime < a.EndTime));
        Assert.True(overlap, "no two variant.arch instances overlapped in time at -m:2");
        Assert.True(instances.Select(i => i.Node).Distinct().Count() > 1, "all instances ran on one node");
    }

    [Fact]
    public void JustPhaseAndSkipPhase()
    {
        using var p = SampleCompose.Create();
        var gather = p.Build("-t:Gather");
        Assert.True(gather.ExitCode == 0, gather.Describe());
        Assert.NotEmpty(gather.Ran("Gather"));
        Assert.Empty(gather.Targets("Createrepo"));

        // A variant.arch phase by name: the instances run up to and including it, not beyond.
        var link = p.Build("-t:LinkPackages");
        Assert.True(link.ExitCode == 0, link.Describe());
        Assert.Equal(8, link.Ran("LinkPackages").Count(r => r.Variant != null));
        Assert.Empty(link.Targets("Createrepo"));

        var skip = p.Build("-p:SkipPhases=\"createrepo;pkgset\"");
        Assert.True(skip.ExitCode == 0, skip.Describe());
        Assert.Empty(skip.Ran("Createrepo"));
        Assert.NotEmpty(skip.Ran("LinkPackages"));
    }
}

[CollectionDefinition("spawned builds", DisableParallelization = true)]
public sealed class SpawnedBuildsCollection;
