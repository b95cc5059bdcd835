using Pungi.Build.PungiConfig;
using Pungi.Build.Tests.Build;

namespace Pungi.Build.Tests.Import;

/// <summary>
/// The imported dummy-local.conf (--sdk-path form) is a working composeproj: Validate accepts it and the compose
/// applies the imported options as upstream's rules say.
/// </summary>
[Collection("spawned builds")]
public sealed class ImportedComposeBuildTests
{
    [Fact]
    public void ImportedDummyLocal_PassesValidate_AndComposes()
    {
        using var p = new ComposeProject("distro");
        var options = new ImportOptions(p.ProjectPath, SdkPath: Path.Combine(TestPaths.RepoRoot, "targets"));
        var result = ComposeprojImporter.Import(Path.Combine(TestPaths.Shared, "reference", "pungi", "dummy-local.conf"), options);
        ComposeprojImporter.Write(result, options);

        var validate = p.Build("-t:Validate");
        Assert.True(validate.ExitCode == 0, validate.Describe());
        Assert.Contains(validate.Ran("Validate"), t => t.Name == "Validate");

        var run = p.Build();
        Assert.True(run.ExitCode == 0, run.Describe());
        var top = Assert.Single(Directory.GetDirectories(Path.Combine(p.Dir, "bin"), "DP-1.0-*"));
        Assert.Equal("FINISHED", File.ReadAllText(Path.Combine(top, "STATUS")).Trim());
        var compose = Path.Combine(top, "compose");
        // filter_packages ('^Client$', dummy-httpd): none in Client
        Assert.Empty(Directory.GetFiles(Path.Combine(compose, "Client"), "dummy-httpd-2*", SearchOption.AllDirectories));
        // additional_packages ('^Client-optional$', dummy-httpd) with hashed_directories = True: Packages/d/
        Assert.True(File.Exists(Path.Combine(compose, "Client-optional", "x86_64", "os", "Packages", "d", "dummy-httpd-2.2.21-1.x86_64.rpm")));
    }
}
