namespace Pungi.Build.Tests.Build;

/// <summary>Repoclosure as a phase (spec §2.18): lenient warns, fatal fails, off skips; the report lands in logs/.</summary>
[Collection("spawned builds")]
public sealed class RepoclosurePhaseTests
{
    [Fact]
    public void FilteredDependency_WarnsWhenLenient_FailsWhenFatal()
    {
        using var p = SampleCompose.Create();
        // Filtering glibc out of Workstation leaves its shells without sample-glibc(x86-64): gather only warns
        // (CheckDeps=false in the sample), so Repoclosure must notice.
        File.WriteAllText(p.ProjectPath, File.ReadAllText(p.ProjectPath).Replace(
            "<FilterPackage Include=\"sample-microcode\"",
            "<FilterPackage Include=\"sample-glibc\" Variant=\"^Workstation$\" Arch=\"*\" />\n    <FilterPackage Include=\"sample-microcode\"", StringComparison.Ordinal));
        var lenient = p.Build();
        Assert.True(lenient.ExitCode == 0, lenient.Describe());
        Assert.Matches(@"warning PUNGI3095: Repoclosure of Workstation\.x86_64: \d+ packages have", lenient.Output);
        Assert.DoesNotContain("Repoclosure of Server.x86_64", lenient.Output);
        var log = Path.Combine(SampleCompose.TopDir(p), "logs", "x86_64", "repoclosure-Workstation.x86_64.log");
        Assert.Contains("unresolved deps:", File.ReadAllText(log));
        Assert.Contains("sample-glibc", File.ReadAllText(log));

        var fatal = p.Build("-p:CustomAfterPungiBuildProps=" + p.Write("fatal.props",
            "<Project><ItemGroup><RepoclosureStrictness Include=\"fatal\" Variant=\"^Workstation$\" Arch=\"*\" /></ItemGroup></Project>"));
        Assert.NotEqual(0, fatal.ExitCode);
        Assert.Contains("error PUNGI3095: Repoclosure of Workstation.x86_64", fatal.Output);
        Assert.Contains(fatal.Ran("Repoclosure"), r => r.Variant == "Workstation");
        Assert.Equal("DOOMED", File.ReadAllText(Path.Combine(SampleCompose.TopDir(p), "STATUS")).Trim());
    }
}
