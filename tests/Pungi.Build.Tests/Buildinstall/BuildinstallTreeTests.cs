using Pungi.Build.Buildinstall;
using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Pungi.Build.Runroot;
using Xunit;

namespace Pungi.Build.Tests.Buildinstall;

/// <summary>
/// Upstream's <c>tweak_buildinstall</c> (spec §2.3) on a lorax-shaped output with real boot files: the stand-in lorax
/// runs through the local runroot exactly as the phase runs it, then the output is copied into an os tree.
/// </summary>
public sealed class BuildinstallTreeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bi-tree-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private async Task<string> RunStandin(string boot, int? fail = null)
    {
        var lorax = BuildinstallFixtures.WriteWrapper(_dir, boot, fail: fail);
        var output = Path.Combine(_dir, "work", "x86_64", "buildinstall", "Server");
        var request = new LoraxRequest
        {
            Executable = lorax,
            Product = "Fedora",
            Version = "41",
            Release = "41",
            Sources = [Path.Combine(_dir, "work", "x86_64", "repo", "repos")],
            OutputDir = output,
            Variant = "Server",
            Buildarch = "x86_64",
            Volid = "Fedora-S-dvd-x86_64-41",
            LogDir = Path.Combine(_dir, "logs", "x86_64", "buildinstall-Server-logs"),
            Nomacboot = true,
            Noupgrade = true,
        };
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "stale-from-last-run"), "");
        await new LocalRunroot().RunAsync(new RunrootRequest
        {
            Command = LoraxCommand.ShellCommand(request, output),
            Arch = "x86_64",
            LogFile = Path.Combine(_dir, "logs", "x86_64", "buildinstall-Server.x86_64.log"),
        });
        return output;
    }

    [SkippableFact]
    public async Task CopyIntoTree_ConfigsInTreeAndInEfibootCarryTheVolid_LoraxOutputUntouched_DotfilesNotCopied()
    {
        var boot = BuildinstallFixtures.RequireBootMaterial();
        var output = await RunStandin(boot);
        Assert.False(File.Exists(Path.Combine(output, "stale-from-last-run")), "rm -rf of the output dir did not run before lorax");
        var tree = Path.Combine(_dir, "compose", "Server", "x86_64", "os");
        Directory.CreateDirectory(tree);
        File.WriteAllText(Path.Combine(tree, ".treeinfo"), "compose's own\n");

        var result = BuildinstallTree.CopyIntoTree(output, tree, Path.Combine(_dir, "work", "x86_64", "tmp-Server"), "Fedora 41 Server", kickstartFile: null);

        Assert.Equal(["isolinux/isolinux.cfg", "EFI/BOOT/grub.cfg"], result.Configs);
        Assert.Equal(["EFI/BOOT/grub.cfg"], result.EfibootConfigs);
        foreach (var f in new[] { "isolinux/isolinux.bin", "isolinux/ldlinux.c32", "images/efiboot.img", "images/boot.iso", "images/install.img", "images/pxeboot/vmlinuz", "EFI/BOOT/BOOTX64.EFI" })
            Assert.True(File.Exists(Path.Combine(tree, f)), f);
        var isolinux = File.ReadAllText(Path.Combine(tree, "isolinux", "isolinux.cfg"));
        Assert.Contains("inst.stage2=hd:LABEL=Fedora\\x2041\\x20Server quiet", isolinux, StringComparison.Ordinal);
        Assert.DoesNotContain("LORAX-STANDIN-LABEL", isolinux, StringComparison.Ordinal);
        var grub = File.ReadAllText(Path.Combine(tree, "EFI", "BOOT", "grub.cfg"));
        Assert.Contains("search --no-floppy --set=root -l 'Fedora 41 Server'", grub, StringComparison.Ordinal);
        // the same rewritten grub.cfg inside the FAT image, read back with mtools
        Assert.Equal(grub, BuildinstallFixtures.Mtype(Path.Combine(tree, "images", "efiboot.img"), "EFI/BOOT/grub.cfg"));
        // lorax's output in work/ keeps its own labels (the tree's efiboot.img is a copy, the configs new files)
        Assert.Contains("LORAX-STANDIN-LABEL", BuildinstallFixtures.Mtype(Path.Combine(output, "images", "efiboot.img"), "EFI/BOOT/grub.cfg"), StringComparison.Ordinal);
        Assert.Contains("LORAX-STANDIN-LABEL", File.ReadAllText(Path.Combine(output, "isolinux", "isolinux.cfg")), StringComparison.Ordinal);
        Assert.False(HardLink.SameInode(Path.Combine(output, "images", "efiboot.img"), Path.Combine(tree, "images", "efiboot.img")));
        // untouched bytes are shared, not copied
        Assert.True(HardLink.SameInode(Path.Combine(output, "images", "install.img"), Path.Combine(tree, "images", "install.img")));
        // cp SRC/* skips top-level dotfiles: lorax's .treeinfo/.discinfo stay in work/
        Assert.Equal("compose's own\n", File.ReadAllText(Path.Combine(tree, ".treeinfo")));
        Assert.False(File.Exists(Path.Combine(tree, ".discinfo")));
        // chmod -R a+rX
        Assert.True(OperatingSystem.IsWindows() || (File.GetUnixFileMode(Path.Combine(tree, "isolinux", "isolinux.cfg")) & UnixFileMode.OtherRead) != 0);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_dir, "work", "x86_64", "tmp-Server")));

        // a second copy (lorax rerun) replaces the tree's files in place
        var again = BuildinstallTree.CopyIntoTree(output, tree, Path.Combine(_dir, "work", "x86_64", "tmp-Server"), "Other", kickstartFile: null);
        Assert.Contains("search --no-floppy --set=root -l 'Other'", File.ReadAllText(Path.Combine(tree, "EFI", "BOOT", "grub.cfg")), StringComparison.Ordinal);
        Assert.Equal(result.Files, again.Files);
    }

    [SkippableFact]
    public async Task Kickstart_CopiedToTreeRoot_AndNamedInEveryConfig()
    {
        var boot = BuildinstallFixtures.RequireBootMaterial();
        var output = await RunStandin(boot);
        var tree = Path.Combine(_dir, "os");
        var ks = Path.Combine(_dir, "ks.cfg");
        File.WriteAllText(ks, "text\n");
        BuildinstallTree.CopyIntoTree(output, tree, Path.Combine(_dir, "tmp"), "V", ks);
        Assert.Equal("text\n", File.ReadAllText(Path.Combine(tree, "ks.cfg")));
        Assert.Contains("inst.stage2=hd:LABEL=V inst.ks=hd:LABEL=V:/ks.cfg quiet", File.ReadAllText(Path.Combine(tree, "isolinux", "isolinux.cfg")), StringComparison.Ordinal);
        Assert.Contains("inst.ks=hd:LABEL=V:/ks.cfg", BuildinstallFixtures.Mtype(Path.Combine(tree, "images", "efiboot.img"), "EFI/BOOT/grub.cfg"), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task FailingLorax_IsPungi5152WithTheLastLinesOfItsLog()
    {
        var boot = BuildinstallFixtures.RequireBootMaterial();
        var e = await Assert.ThrowsAsync<PungiException>(() => RunStandin(boot, fail: 1));
        Assert.Equal(ErrorCodes.RunrootCommandFailed, e.Code);
        Assert.Contains("Dependency check failed: nothing provides anaconda-core\nlorax failed", e.Message, StringComparison.Ordinal);
        Assert.Contains("buildinstall-Server.x86_64.log", e.Message, StringComparison.Ordinal);
    }
}
