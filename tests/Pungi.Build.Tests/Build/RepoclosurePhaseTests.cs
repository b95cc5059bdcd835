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

        // RepoclosureBackend=dnf (upstream's default backend): dnf repoclosure finds the same variant broken, same dep
        if (Pungi.Build.Tests.Build.PungiDummy.PungiDummyInterop.HasDnf())
        {
            var dnf = p.Build("-p:RepoclosureBackend=dnf");
            Assert.True(dnf.ExitCode == 0, dnf.Describe());
            Assert.Contains(dnf.Ran("Repoclosure"), r => r.Variant == "Workstation"); // the backend is part of its inputs
            Assert.Matches(@"warning PUNGI3095: Repoclosure of Workstation\.x86_64: \d+ packages have", dnf.Output);
            Assert.DoesNotContain("Repoclosure of Server.x86_64", dnf.Output);
            var dnfLog = File.ReadAllText(log);
            Assert.Contains("$ dnf ", dnfLog);
            Assert.Contains("sample-glibc", dnfLog);
            Assert.Contains("[exit 1]", dnfLog);
        }
        var yum = p.Build("-p:RepoclosureBackend=yum");
        Assert.NotEqual(0, yum.ExitCode);
        Assert.Contains("PUNGI3098", yum.Output);

        var fatal = p.Build("-p:CustomAfterPungiBuildProps=" + p.Write("fatal.props",
            "<Project><ItemGroup><RepoclosureStrictness Include=\"fatal\" Variant=\"^Workstation$\" Arch=\"*\" /></ItemGroup></Project>"));
        Assert.NotEqual(0, fatal.ExitCode);
        Assert.Contains("error PUNGI3095: Repoclosure of Workstation.x86_64", fatal.Output);
        Assert.Contains(fatal.Ran("Repoclosure"), r => r.Variant == "Workstation");
        Assert.Equal("DOOMED", File.ReadAllText(Path.Combine(SampleCompose.TopDir(p), "STATUS")).Trim());
    }
}
