using Xunit;
using Pungi.Build.Gather;
using Pungi.Build.Rpm;

namespace Pungi.Build.Tests.Gather;

/// <summary>
/// The same upstream cases on the 432 real RPM files (headers read by <see cref="RpmHeaderReader"/>) instead of
/// repodata: requirements straight from headers (rpmlib() included) must give upstream's answers too.
/// </summary>
public sealed class RpmHeaderFixtureTests
{
    private static readonly Lazy<IReadOnlyList<RpmPackage>> Rpms = new(() =>
        Directory.EnumerateFiles(TestPaths.PungiDummyRpms, "*.rpm", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal).Select(f => RpmHeaderReader.Read(f)).ToList());

    private static string[] Names(IEnumerable<GatheredPackage> l) => l.Select(p => p.Package.FileName).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void test_multilib_method_devel_runtime_from_headers()
    {
        var r = GatherEngine.Solve(new GatherRequest
        {
            Arch = "x86_64",
            Repos = [new GatherRepo("rpms", Rpms.Value)],
            Packages = ["dummy-lvm2-devel"],
            MultilibMethods = ["devel", "runtime"],
        });
        Assert.Equal(new[]
        {
            "dummy-basesystem-10.0-6.noarch.rpm", "dummy-filesystem-4.2.37-6.x86_64.rpm", "dummy-glibc-2.14-5.i686.rpm",
            "dummy-glibc-2.14-5.x86_64.rpm", "dummy-glibc-common-2.14-5.x86_64.rpm", "dummy-lvm2-2.02.84-4.x86_64.rpm",
            "dummy-lvm2-devel-2.02.84-4.i686.rpm", "dummy-lvm2-devel-2.02.84-4.x86_64.rpm", "dummy-lvm2-libs-2.02.84-4.x86_64.rpm",
        }, Names(r.Rpm));
        Assert.Empty(r.UnresolvedDependencies);
    }

    [Fact]
    public void test_smtpdaemon_from_headers()
    {
        var r = GatherEngine.Solve(new GatherRequest { Arch = "x86_64", Repos = [new GatherRepo("rpms", Rpms.Value)], Packages = ["dummy-vacation"] });
        Assert.Equal(new[]
        {
            "dummy-basesystem-10.0-6.noarch.rpm", "dummy-filesystem-4.2.37-6.x86_64.rpm", "dummy-glibc-2.14-5.x86_64.rpm",
            "dummy-glibc-common-2.14-5.x86_64.rpm", "dummy-postfix-2.9.2-2.x86_64.rpm", "dummy-vacation-1.2.7.1-1.x86_64.rpm",
        }, Names(r.Rpm));
    }
}

public sealed class GatherOptionTests
{
    [Fact]
    public void CheckDeps_FailsNamingPackageAndRequirement_GreedyParses()
    {
        var r = Pungi.Build.Gather.GatherEngine.Solve(new GatherRequest
        {
            Arch = "x86_64",
            Repos = [new GatherRepo("r", [GatherRuleTests.P("app-1-1.x86_64", requires: ["nope"])])],
            Packages = ["app"],
        });
        var e = Assert.Throws<Pungi.Build.Diagnostics.PungiException>(() => r.CheckDependencies("Server", "x86_64"));
        Assert.Equal(Pungi.Build.Diagnostics.ErrorCodes.GatherUnresolvedDependencies, e.Code);
        Assert.Contains("Unresolvable dependency nope in app.x86_64", e.Message);
        Assert.Equal(GreedyMethod.Build, GreedyMethods.Parse("build"));
        Assert.Equal(GreedyMethod.None, GreedyMethods.Parse(""));
        Assert.Throws<Pungi.Build.Diagnostics.PungiException>(() => GreedyMethods.Parse("some"));
    }
}
