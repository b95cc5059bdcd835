using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Pungi.Build.OSTreeInstaller;
using Xunit;

namespace Pungi.Build.Tests.OSTreeInstaller;

/// <summary>Upstream's <c>_copy_image</c> (spec §2.17): copy_all into the os tree, boot.iso hard-linked to the ISO name.</summary>
public sealed class OstreeInstallerTreeTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pungi-oi-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void CopyAll_CopiesEverythingIncludingDotfiles_ThenBootIsoHardLinkedIntoIsoDir()
    {
        var output = Path.Combine(_dir, "work", "x86_64", "Server", "ostree_installer");
        Directory.CreateDirectory(Path.Combine(output, "images"));
        File.WriteAllText(Path.Combine(output, "images", "boot.iso"), "iso bytes");
        File.WriteAllText(Path.Combine(output, ".treeinfo"), "[general]\n");
        var os = Path.Combine(_dir, "compose", "Server", "x86_64", "os");
        Directory.CreateDirectory(os);
        File.WriteAllText(Path.Combine(os, "existing"), "kept");

        Assert.Equal(2, OstreeInstallerTree.CopyAll(output, os));
        // util.copy_all lists the directory: unlike Buildinstall's cp src/*, the dotfiles are copied too
        Assert.Equal("[general]\n", File.ReadAllText(Path.Combine(os, ".treeinfo")));
        Assert.Equal("iso bytes", File.ReadAllText(Path.Combine(os, "images", "boot.iso")));
        Assert.Equal("kept", File.ReadAllText(Path.Combine(os, "existing")));

        var iso = Path.Combine(_dir, "compose", "Server", "x86_64", "iso", "X-ostree.iso");
        OstreeInstallerTree.LinkBootIso(output, iso);
        Assert.True(HardLink.SameInode(Path.Combine(output, "images", "boot.iso"), iso));
        OstreeInstallerTree.LinkBootIso(output, iso); // a rebuild keeps the link
        Assert.True(HardLink.SameInode(Path.Combine(output, "images", "boot.iso"), iso));
    }

    [Fact]
    public void LinkBootIso_WithoutBootIso_IsCoded()
    {
        Directory.CreateDirectory(_dir);
        var e = Assert.Throws<PungiException>(() => OstreeInstallerTree.LinkBootIso(_dir, Path.Combine(_dir, "iso", "x.iso")));
        Assert.Equal(ErrorCodes.OstreeInstallerNoBootIso, e.Code);
    }
}
