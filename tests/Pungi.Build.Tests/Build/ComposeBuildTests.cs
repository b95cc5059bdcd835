using System.Text.Json;

namespace Pungi.Build.Tests.Build;

/// <summary>
/// End-to-end builds of the sample product with a spawned <c>dotnet build</c>, asserting on the compose tree and, through
/// the binlog, on which phase targets ran and which were skipped as up to date (issue 2, DESIGN.md §1 and §6).
/// </summary>
[Collection("spawned builds")]
public sealed class ComposeBuildTests
{
    private static readonly string[] Phases = ["Init", "Pkgset", "Gather", "LinkPackages", "Createrepo", "Repoclosure"];
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
        // Repoclosure per binary variant.arch (not src): the sample closes.
        Assert.Equal(4, first.Ran("Repoclosure").Count);
        Assert.True(File.Exists(Path.Combine(top, "logs", "x86_64", "repoclosure-Server.x86_64.log")));
        // DESIGN.md §8: each phase task leaves its record for the run summary.
        using (var rec = JsonDocument.Parse(File.ReadAllText(Path.Combine(top, "logs", "global", "phases", "Createrepo-Server.x86_64.json"))))
        {
            Assert.Equal("Server", rec.RootElement.GetProperty("variant").GetString());
            Assert.True(rec.RootElement.GetProperty("succeeded").GetBoolean());
            Assert.Contains("27 packages", rec.RootElement.GetProperty("messages")[0].GetString());
        }

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
    public void AddingAnUnwantedRpm_RerunsPkgsetAndGather_ButNoTree()
    {
        using var p = SampleCompose.Create();
        Assert.Equal(0, p.Build().ExitCode);
        // An RPM copied in with an old mtime (cp -p) still wakes Pkgset: the repository listing changed.
        var extra = Directory.EnumerateFiles(Path.Combine(TestPaths.PungiDummyRpms, "noarch"), "dummy-*.noarch.rpm").Order().First();
        var target = Path.Combine(p.Dir, "rpms", "noarch", Path.GetFileName(extra));
        File.Copy(extra, target);
        File.SetLastWriteTimeUtc(target, new DateTime(2015, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var run = p.Build();
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Single(run.Ran("Pkgset"));
        Assert.Matches(@"Pkgset: \d+ packages \(1 headers read", run.Output);
        // No variant wants the new package, so the package lists did not change and no tree is touched.
        Assert.Empty(run.Ran("LinkPackages", "Createrepo", "Repoclosure"));
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
        // The sample's instances finish in milliseconds; a hook target (through the SDK's extension point) makes each
        // one last a second so the overlap the fan-out gives is visible instead of left to timing luck.
        var hook = p.Write("slow.targets", """
            <Project>
              <PropertyGroup><PungiVariantArchTargets>LinkPackages;Createrepo;_TestSlow</PungiVariantArchTargets></PropertyGroup>
              <Target Name="_TestSlow" Condition="'$(Variant)' != ''"><Exec Command="sleep 1" /></Target>
            </Project>
            """);
        var run = p.Build("-m:2", $"-p:CustomBeforePungiBuildTargets={hook}");
        Assert.True(run.ExitCode == 0, run.Describe());
        var slow = run.Ran("_TestSlow");
        Assert.Equal(8, slow.Count);
        bool overlap = slow.Any(a => slow.Any(b => a != b && a.Start < b.End && b.Start < a.End));
        Assert.True(overlap, "no two variant.arch instances overlapped in time at -m:2");
        var nodes = run.Log.FindChildrenRecursive<Microsoft.Build.Logging.StructuredLogger.Project>(
            pr => pr.GlobalProperties != null && pr.GlobalProperties.ContainsKey("Variant")).Select(pr => pr.NodeId).Distinct().Count();
        Assert.True(nodes > 1, "all instances ran on one node");
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
        Assert.False(File.Exists(Path.Combine(SampleCompose.TopDir(p), "compose", "Server", "x86_64", "os", "repodata", "repomd.xml")));

        var all = p.Build();
        Assert.True(all.ExitCode == 0, all.Describe());
        Assert.Equal(8, all.Ran("Createrepo").Count);
    }
}

[CollectionDefinition("spawned builds", DisableParallelization = true)]
public sealed class SpawnedBuildsCollection;
