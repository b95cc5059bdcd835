using Pungi.Build.Buildinstall;
using Pungi.Build.Compose;
using Xunit;

namespace Pungi.Build.Tests.Buildinstall;

/// <summary>Upstream's <c>tweak_configs</c> (spec §2.3): boot configs rewritten to the DVD volume ID.</summary>
public sealed class BootConfigsTests
{
    private const string Volid = "Fedora-S-dvd 41";

    [Fact]
    public void F18Label_SpaceWrittenAsBackslashX20_UpToSpaceOrNewline()
        => Assert.Equal(
            "  append initrd=initrd.img inst.stage2=hd:LABEL=Fedora-S-dvd\\x2041 quiet\n",
            BootConfigs.Tweak("  append initrd=initrd.img inst.stage2=hd:LABEL=Old\\x20Label quiet\n", Volid, yaboot: false, kickstart: false));

    [Fact]
    public void PreF18CdLabel_Rewritten()
        => Assert.Equal("root=live:CDLABEL=Fedora-S-dvd\\x2041\n", BootConfigs.Tweak("root=live:CDLABEL=X\n", Volid, false, false));

    [Fact]
    public void Yaboot_OneMoreLevelOfEscaping()
        // two backslashes in the file: \\x20
        => Assert.Equal("append=\"inst.stage2=hd:LABEL=Fedora-S-dvd\\\\x2041 quiet\"\n",
            BootConfigs.Tweak("append=\"inst.stage2=hd:LABEL=Old quiet\"\n", Volid, yaboot: true, kickstart: false));

    [Fact]
    public void GrubSearch_GetsTheRawVolid()
        => Assert.Equal("search --no-floppy --set=root -l 'Fedora-S-dvd 41'\n",
            BootConfigs.Tweak("search --no-floppy --set=root -l 'Fedora-S-dvd-x86_64-41'\n", Volid, false, false));

    [Fact]
    public void Kickstart_AppendsInstKsAfterEveryLabel()
        => Assert.Equal("linux inst.stage2=hd:LABEL=Fedora-S-dvd\\x2041 inst.ks=hd:LABEL=Fedora-S-dvd\\x2041:/ks.cfg quiet\n",
            BootConfigs.Tweak("linux inst.stage2=hd:LABEL=X quiet\n", Volid, false, kickstart: true));

    [Fact]
    public void Kickstart_WithCdLabel_SecondPassRewritesTheInsertedLabelToo_AsUpstream()
        // re.sub(":CDLABEL=…") inserts " inst.ks=hd:LABEL=V:/ks.cfg"; the following re.sub(":LABEL=[^ \n]*") then
        // matches ":LABEL=V:/ks.cfg" and appends another inst.ks.
        => Assert.Equal("root=live:CDLABEL=V inst.ks=hd:LABEL=V inst.ks=hd:LABEL=V:/ks.cfg\n",
            BootConfigs.Tweak("root=live:CDLABEL=X\n", "V", false, kickstart: true));

    [Fact]
    public void TweakTree_RewritesOnlyBootConfigs_AndBreaksHardLinks()
    {
        var dir = Directory.CreateTempSubdirectory("bi-tweak-").FullName;
        try
        {
            var src = Path.Combine(dir, "src");
            var tree = Path.Combine(dir, "tree");
            foreach (var d in new[] { src, Path.Combine(tree, "isolinux"), Path.Combine(tree, "EFI", "BOOT"), Path.Combine(tree, "images") })
                Directory.CreateDirectory(d);
            File.WriteAllText(Path.Combine(src, "isolinux.cfg"), "append inst.stage2=hd:LABEL=X quiet\r\n");
            Assert.True(HardLink.TryCreate(Path.Combine(src, "isolinux.cfg"), Path.Combine(tree, "isolinux", "isolinux.cfg"), out _));
            File.WriteAllText(Path.Combine(tree, "EFI", "BOOT", "grub.cfg"), "search --set=root -l 'X'\nlinux inst.stage2=hd:LABEL=X\n");
            File.WriteAllText(Path.Combine(tree, "images", "other.cfg"), "inst.stage2=hd:LABEL=X\n");

            var found = BootConfigs.TweakTree(tree, "A B", kickstart: false);

            Assert.Equal(["isolinux/isolinux.cfg", "EFI/BOOT/grub.cfg"], found);
            // universal newlines, as Python's text mode reads it
            Assert.Equal("append inst.stage2=hd:LABEL=A\\x20B quiet\n", File.ReadAllText(Path.Combine(tree, "isolinux", "isolinux.cfg")));
            Assert.Equal("search --set=root -l 'A B'\nlinux inst.stage2=hd:LABEL=A\\x20B\n", File.ReadAllText(Path.Combine(tree, "EFI", "BOOT", "grub.cfg")));
            // the hard-linked original (lorax's output in work/) is untouched
            Assert.Equal("append inst.stage2=hd:LABEL=X quiet\r\n", File.ReadAllText(Path.Combine(src, "isolinux.cfg")));
            Assert.Equal("inst.stage2=hd:LABEL=X\n", File.ReadAllText(Path.Combine(tree, "images", "other.cfg")));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
