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
    [SkippableFact]
    public void ImportedDummyLocal_PassesValidate_AndComposes()
    {
        // dummy-local.conf sets repoclosure_backend = "dnf" and createiso_use_xorrisofs = True: the real tools run
        Pungi.Build.Tests.Iso.Interop.Require("dnf", "xorrisofs", "implantisomd5");
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
        // repoclosure_backend = "dnf" (spec §2.18): upstream's command, the variant's repo checked, the parent's beside it
        var id = Path.GetFileName(top);
        var log = File.ReadAllText(Path.Combine(top, "logs", "x86_64", "repoclosure-Server-optional.x86_64.log"));
        Assert.Contains("repoclosure --arch=x86_64 ", log);
        Assert.Contains($"--forcearch=x86_64 --repofrompath={id}-repoclosure-Server-optional.x86_64,file://{compose}/Server-optional/x86_64/os --repo={id}-repoclosure-Server-optional.x86_64 --check={id}-repoclosure-Server-optional.x86_64 --repofrompath={id}-repoclosure-Server.x86_64,file://{compose}/Server/x86_64/os --repo={id}-repoclosure-Server.x86_64", log);
        Assert.Matches(@"\[exit [01]\]", log);
        Assert.Empty(Directory.GetDirectories(Path.Combine(top, "work", "x86_64"), "repoclosure-*")); // the dnf cache is removed
    }
}
