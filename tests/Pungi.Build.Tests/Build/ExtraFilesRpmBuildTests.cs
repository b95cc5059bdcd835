namespace Pungi.Build.Tests.Build;

/// <summary>
/// extra_files with <c>scm: rpm</c> and a bare repo (upstream <c>copy_extra_files</c>): the repo, with
/// <c>%(variant_uid_lower)s</c> filled in (written %25 in MSBuild), is a name glob matched against the arch's package set, and the file comes
/// out of the matching RPM's payload into the tree; a name the package set lacks is PUNGI5206.
/// </summary>
[Collection("spawned builds")]
public sealed class ExtraFilesRpmBuildTests
{
    [Fact]
    public void A_file_from_the_variants_release_package_lands_in_its_tree()
    {
        using var p = SampleCompose.Create();
        File.WriteAllText(p.ProjectPath, File.ReadAllText(p.ProjectPath).Replace(
            "<FilterPackage Include=\"sample-microcode\"",
            "<ExtraFile Include=\"/usr/share/sample/release/identity-%2A\" Scm=\"rpm\" Repo=\"sample-release-%25(variant_uid_lower)s\" Variant=\"^(Server|Workstation)$\" Arch=\"*\" />\n"
            + "    <FilterPackage Include=\"sample-microcode\"", StringComparison.Ordinal));
        var run = p.Build();
        Assert.True(run.ExitCode == 0, run.Describe());
        var compose = Path.Combine(SampleCompose.TopDir(p), "compose");
        Assert.True(File.Exists(Path.Combine(compose, "Workstation/x86_64/os/identity-workstation")));
        Assert.False(File.Exists(Path.Combine(compose, "Workstation/x86_64/os/identity-server")));
        Assert.Contains("identity-workstation", File.ReadAllText(Path.Combine(compose, "Workstation/x86_64/os/extra_files.json")));

        var missing = p.Build("-p:CustomAfterPungiBuildProps=" + p.Write("missing.props",
            "<Project><ItemGroup><ExtraFile Include=\"x\" Scm=\"rpm\" Repo=\"no-such-package\" Variant=\"^Workstation$\" Arch=\"*\" /></ItemGroup></Project>"));
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("error PUNGI5206", missing.Output);
        Assert.Contains("No package matching no-such-package in the package set", missing.Output);
    }
}
