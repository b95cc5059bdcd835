using Pungi.Build.Iso;
using Xunit;

namespace Pungi.Build.Tests.Iso;

/// <summary>
/// Bootable DVDs (spec §7.4 boot-argument table, issue 8) from a tree holding make-test-iso.sh's boot files, checked
/// with the real tools: <c>xorriso -report_el_torito</c>, <c>isoinfo -d</c>, <c>checkisomd5</c>, extraction.
/// </summary>
public sealed class BootableIsoTests
{
    private static string MakeTree(TempDir tmp)
    {
        var tree = tmp.Sub("os");
        Directory.CreateDirectory(Path.Combine(tree, "Packages", "d"));
        foreach (var rpm in Directory.EnumerateFiles(TestPaths.PungiDummyRpms, "dummy-b*.rpm", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(6))
            File.Copy(rpm, Path.Combine(tree, "Packages", "d", Path.GetFileName(rpm)), overwrite: true);
        File.WriteAllText(Path.Combine(tree, "media.repo"), "[InstallMedia]\nname=Test 1.0\n");
        BootFiles.CopyInto(tree);
        return tree;
    }

    [SkippableFact]
    public void X86_64_Native_HasBiosAndUefiEntries_Hybrid_Md5_VolumeId_AndExtractsToTheTree()
    {
        using var tmp = new TempDir();
        var tree = MakeTree(tmp);
        var iso = tmp.Sub("native.iso");
        // §7.4 x86_64: -b isolinux/isolinux.bin -c isolinux/boot.cat -no-emul-boot -boot-load-size 4 -boot-info-table
        //              -eltorito-alt-boot -e images/efiboot.img -no-emul-boot, then isohybrid --uefi.
        IsoWriter.Write(new IsoImageSpec { SourceDirectory = tree, VolumeId = "Test-1.0-x86_64-dvd1", Boot = IsoBootArgs.Native("x86_64"), TimestampFromTree = true }, iso);

        var report = Interop.RunOk("xorriso", "-indev", iso, "-report_el_torito", "plain");
        Assert.Matches(@"El Torito boot img :\s+1\s+BIOS\s+y\s+none", report);
        Assert.Matches(@"El Torito boot img :\s+2\s+UEFI\s+y\s+none", report);
        Assert.Matches(@"El Torito img path :\s+1\s+/isolinux/isolinux.bin", report);
        Assert.Matches(@"El Torito img path :\s+2\s+/images/efiboot.img", report);
        Assert.Matches(@"El Torito cat path :\s+/isolinux/boot.cat", report);
        Assert.Contains("Volume id: Test-1.0-x86_64-dvd1\n", Interop.RunOk("isoinfo", "-d", "-i", iso), StringComparison.Ordinal);
        var check = Interop.Run("checkisomd5", iso);
        Assert.True(check.Code == 0, check.Out + check.Err);
        // isohybrid --uefi: MBR signature and a GPT header (what the Test phase looks for, §7.6).
        using (var fs = File.OpenRead(iso))
        {
            var head = new byte[1024];
            fs.ReadExactly(head);
            Assert.Equal(new byte[] { 0x55, 0xAA }, head[510..512]);
            Assert.Equal("EFI PART"u8.ToArray(), head[512..520]);
        }
        BootFiles.AssertExtractionMatches(iso, BootFiles.TreeFiles(tree), "isolinux/boot.cat", tmp.Path);
    }

    [SkippableFact]
    public void X86_64_XorrisoBackend_RunsUpstreamsCommands_BothEntries_Md5_AndExtractsToTheTreeWithStaging()
    {
        using var tmp = new TempDir();
        var tree = MakeTree(tmp);
        File.WriteAllText(Path.Combine(tree, ".discinfo"), "1700000000.000000\nTest 1.0\nx86_64\nALL\n");
        var staging = IsoStaging.Prepare(tree, tmp.Sub("staging"), 1, 1);
        var gp = tmp.Sub("graft-points");
        File.WriteAllText(gp, XorrisoBackend.GraftPoints(tree, staging.Select(s => (s.IsoPath, s.FileSystemPath))));
        var iso = tmp.Sub("xorriso.iso");
        var request = new XorrisoRequest { Arch = "x86_64", VolumeId = "Test-1.0 Server.x86_64", GraftPointsFile = gp, Output = iso, Bootable = true };
        // §7.4: xorrisofs with the x86_64 boot args, isohybrid --uefi, implantisomd5 — in that order.
        Assert.Equal(["xorrisofs", "isohybrid", "implantisomd5"], XorrisoBackend.Commands(request).Select(c => c.Tool).ToArray());
        Assert.Equal(["--uefi", iso], XorrisoBackend.Commands(request)[1].Args.ToArray());
        XorrisoBackend.Run(request);

        var report = Interop.RunOk("xorriso", "-indev", iso, "-report_el_torito", "plain");
        Assert.Matches(@"El Torito boot img :\s+1\s+BIOS\s+y\s+none", report);
        Assert.Matches(@"El Torito boot img :\s+2\s+UEFI\s+y\s+none", report);
        Assert.Contains("Volume id: Test-1.0 Server.x86_64\n", Interop.RunOk("isoinfo", "-d", "-i", iso), StringComparison.Ordinal);
        var check = Interop.Run("checkisomd5", iso);
        Assert.True(check.Code == 0, check.Out + check.Err);
        // §6.8: the staged .discinfo says disc 1, the tree's still ALL.
        Assert.EndsWith("x86_64\n1\n", File.ReadAllText(staging.Single(s => s.IsoPath == ".discinfo").FileSystemPath), StringComparison.Ordinal);
        BootFiles.AssertExtractionMatches(iso, BootFiles.TreeFiles(tree, staging.Select(s => (s.IsoPath, s.FileSystemPath))), "isolinux/boot.cat", tmp.Path);
    }

    [SkippableFact]
    public void Aarch64_UefiOnly_And_S390x_CdbootEntry()
    {
        using var tmp = new TempDir();
        var tree = MakeTree(tmp);
        // §7.4 aarch64: -eltorito-alt-boot -e images/efiboot.img -no-emul-boot: one UEFI entry, no BIOS, no MBR code.
        var arm = tmp.Sub("aarch64.iso");
        IsoWriter.Write(new IsoImageSpec { SourceDirectory = tree, VolumeId = "Test-1.0-aarch64-dvd1", Boot = IsoBootArgs.Native("aarch64") }, arm);
        var report = Interop.RunOk("xorriso", "-indev", arm, "-report_el_torito", "plain");
        Assert.Matches(@"El Torito boot img :\s+1\s+UEFI\s+y\s+none", report);
        Assert.DoesNotMatch(@"boot img :\s+2", report);
        Assert.DoesNotContain("BIOS", report, StringComparison.Ordinal);

        // §7.4 s390x: -eltorito-boot images/cdboot.img -no-emul-boot (whole image loaded, no info table).
        File.Copy(Path.Combine(tree, "images", "efiboot.img"), Path.Combine(tree, "images", "cdboot.img"));
        var s390 = tmp.Sub("s390x.iso");
        IsoWriter.Write(new IsoImageSpec { SourceDirectory = tree, VolumeId = "Test-1.0-s390x-dvd1", Boot = IsoBootArgs.Native("s390x") }, s390);
        report = Interop.RunOk("xorriso", "-indev", s390, "-report_el_torito", "plain");
        Assert.Matches(@"El Torito img path :\s+1\s+/images/cdboot.img", report);
        long sectors = (new FileInfo(Path.Combine(tree, "images", "cdboot.img")).Length + 511) / 512;
        Assert.Matches($@"El Torito boot img :\s+1\s+BIOS\s+y\s+none\s+0x0000\s+0x00\s+{sectors}\s", report);
        Assert.True(IsoMd5.Check(s390).Passed);
    }

    [Fact]
    public void MkisofsBootArgs_AreUpstreamsTable()
    {
        // Spec §7.4 table, row by row.
        Assert.Equal("-b isolinux/isolinux.bin -c isolinux/boot.cat -no-emul-boot -boot-load-size 4 -boot-info-table -eltorito-alt-boot -e images/efiboot.img -no-emul-boot",
            string.Join(' ', IsoBootArgs.Mkisofs("x86_64")));
        Assert.Equal("-b isolinux/isolinux.bin -c isolinux/boot.cat -no-emul-boot -boot-load-size 4 -boot-info-table", string.Join(' ', IsoBootArgs.Mkisofs("i386")));
        Assert.Equal("-eltorito-alt-boot -e images/efiboot.img -no-emul-boot", string.Join(' ', IsoBootArgs.Mkisofs("aarch64")));
        Assert.Equal("-eltorito-boot images/cdboot.img -no-emul-boot", string.Join(' ', IsoBootArgs.Mkisofs("s390x")));
        Assert.Equal("-r -l -sysid PPC -chrp-boot", string.Join(' ', IsoBootArgs.Mkisofs("ppc64le", ppcHfsCompatible: false)));
        Assert.Equal("-part -hfs -r -l -sysid PPC -no-desktop -allow-multidot -chrp-boot -map /usr/share/lorax/config_files/ppc/mapping -hfs-bless /ppc/mac",
            string.Join(' ', IsoBootArgs.Mkisofs("ppc64le")));
        Assert.Empty(IsoBootArgs.Mkisofs("armhfp"));
        Assert.Equal("PUNGI5025", Assert.Throws<Pungi.Build.Diagnostics.PungiException>(() => IsoBootArgs.Mkisofs("mips")).Code);
        Assert.Equal("PUNGI5026", Assert.Throws<Pungi.Build.Diagnostics.PungiException>(() => IsoBootArgs.Native("ppc64le")).Code);
        // isohybrid only on x86, --uefi on x86_64.
        Assert.Equal((true, true), IsoBootArgs.Isohybrid("x86_64"));
        Assert.Equal((true, false), IsoBootArgs.Isohybrid("i686"));
        Assert.Equal((false, false), IsoBootArgs.Isohybrid("aarch64"));
    }

    [Fact]
    public void Ppc64le_ChrpOnly_HasChrpMbrPartitionAndSysidPpc()
    {
        using var tmp = new TempDir();
        var tree = tmp.Sub("os");
        Directory.CreateDirectory(Path.Combine(tree, "ppc"));
        File.WriteAllText(Path.Combine(tree, "ppc", "bootinfo.txt"), "<chrp-boot>\n");
        var iso = tmp.Sub("ppc.iso");
        IsoWriter.Write(new IsoImageSpec { SourceDirectory = tree, VolumeId = "Test-1.0-ppc64le-dvd1", Boot = IsoBootArgs.Native("ppc64le", ppcHfsCompatible: false) }, iso);
        var head = new byte[512];
        using (var fs = File.OpenRead(iso)) fs.ReadExactly(head);
        // -chrp-boot: MBR partition 1 of type 0x96 from sector 0 over the image; -sysid PPC.
        Assert.Equal(0x96, head[446 + 4]);
        Assert.Equal(new FileInfo(iso).Length / 512, BitConverter.ToUInt32(head, 446 + 12));
        using var reader = IsoReader.Open(iso);
        Assert.Equal("PPC", reader.SystemId.TrimEnd());
    }

    [SkippableFact]
    public void SameTree_GivesByteIdenticalBootableImage()
    {
        // Reproducibility: the volume time comes from the tree (no SOURCE_DATE_EPOCH needed), the GPT GUIDs from the
        // image's own seed, so writing the same tree twice gives the same bytes.
        using var tmp = new TempDir();
        var tree = MakeTree(tmp);
        var spec = new IsoImageSpec { SourceDirectory = tree, VolumeId = "Repro", Boot = IsoBootArgs.Native("x86_64"), TimestampFromTree = true };
        IsoWriter.Write(spec, tmp.Sub("a.iso"));
        Thread.Sleep(1100);
        IsoWriter.Write(spec, tmp.Sub("b.iso"));
        Assert.True(File.ReadAllBytes(tmp.Sub("a.iso")).AsSpan().SequenceEqual(File.ReadAllBytes(tmp.Sub("b.iso"))), "two writes of one tree differ");
    }
}
