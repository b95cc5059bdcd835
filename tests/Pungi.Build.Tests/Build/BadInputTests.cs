namespace Pungi.Build.Tests.Build;

/// <summary>
/// Bad input fails with a PUNGI1xxx error at the file and line that caused it, and leaves an existing compose as it
/// was (issue 2 point 8).
/// </summary>
[Collection("spawned builds")]
public sealed class BadInputTests
{
    [Theory]
    [InlineData("<arch>x86_64</arch>", "<arch>x86-64</arch>", "PUNGI1025")]
    [InlineData("<variants>", "<variants><broken", "PUNGI1021")]
    public void BadVariantsXml_FailsAtItsLine_AndLeavesTheComposeUntouched(string find, string replace, string code)
    {
        using var p = SampleCompose.Create();
        Assert.Equal(0, p.Build().ExitCode);
        var top = SampleCompose.TopDir(p);
        var status = Path.Combine(top, "STATUS");
        var before = File.GetLastWriteTimeUtc(status);

        var variants = Path.Combine(p.Dir, "variants.xml");
        var text = File.ReadAllText(variants);
        Assert.Contains(find, text);
        File.WriteAllText(variants, text.Replace(find, replace, StringComparison.Ordinal));
        var run = p.Build();
        Assert.NotEqual(0, run.ExitCode);
        Assert.Matches(@"variants\.xml\(\d+,\d+\): error " + code + ":", run.Output);
        Assert.DoesNotContain("   at ", run.Output);
        Assert.Equal("FINISHED", File.ReadAllText(status).Trim());
        Assert.Equal(before, File.GetLastWriteTimeUtc(status));
    }

    [Fact]
    public void UnknownComposeType_PointsAtTheProperty()
    {
        using var p = SampleCompose.Create();
        File.WriteAllText(p.ProjectPath, File.ReadAllText(p.ProjectPath).Replace("<ComposeType>test</ComposeType>", "<ComposeType>weekly</ComposeType>", StringComparison.Ordinal));
        var run = p.Build();
        Assert.NotEqual(0, run.ExitCode);
        Assert.Matches(@"dummy-product\.composeproj\(\d+,\d+\): error PUNGI1003: ComposeType 'weekly'", run.Output);
        Assert.False(Directory.Exists(Path.Combine(p.Dir, "bin")), "a failed validation created the compose directory");
    }

    [Fact]
    public void InlineVariantWithoutArches_AndMissingVariantsFile()
    {
        using var p = new ComposeProject();
        p.WriteProject("""
              <PropertyGroup>
                <ReleaseName>X</ReleaseName><ReleaseShort>X</ReleaseShort><ReleaseVersion>1</ReleaseVersion>
              </PropertyGroup>
              <ItemGroup>
                <Variant Include="Server" Name="Server" Arches="x86_64" />
                <Variant Include="Client" Name="Client" />
              </ItemGroup>
            """);
        var run = p.Build("-t:Validate");
        Assert.NotEqual(0, run.ExitCode);
        Assert.Matches(@"distro\.composeproj\(8,\d+\): error PUNGI1026:", run.Output);

        p.WriteProject("""
              <PropertyGroup>
                <ReleaseName>X</ReleaseName><ReleaseShort>X</ReleaseShort><ReleaseVersion>1</ReleaseVersion>
              </PropertyGroup>
              <ItemGroup><VariantsFile Include="nope.xml" /></ItemGroup>
            """);
        run = p.Build("-t:Validate");
        Assert.NotEqual(0, run.ExitCode);
        Assert.Matches(@"distro\.composeproj\(\d+,\d+\): error PUNGI1020: The variants file '.*nope\.xml' does not exist", run.Output);
    }

    [Fact]
    public void FailingPhase_MarksTheComposeDoomed()
    {
        using var p = SampleCompose.Create();
        // CheckDeps=true turns the optional variant's unresolved build dependency into a Gather error.
        var run = p.Build("-p:CheckDeps=true");
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("error PUNGI3003", run.Output);
        Assert.Equal("DOOMED", File.ReadAllText(Path.Combine(SampleCompose.TopDir(p), "STATUS")).Trim());
    }
}
