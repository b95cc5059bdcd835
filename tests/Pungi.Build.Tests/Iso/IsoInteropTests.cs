using System.Text.RegularExpressions;
using Pungi.Build.Iso;
using Xunit;

namespace Pungi.Build.Tests.Iso;

/// <summary>Images written natively, read by the reference tools: isoinfo, xorriso, checkisomd5, implantisomd5.</summary>
public class IsoInteropTests : IClassFixture<IsoInteropTests.Image>
{
    /// <summary>One bootable image of the test tree, shared by the tests of this class.</summary>
    public sealed class Image : IDisposable
    {
        private readonly TempDir _dir = new();

        public Image()
        {
            Tree = IsoTestTree.Create(_dir.Sub("tree"));
            Path = _dir.Sub("Fedora-41-Server-x86_64-dvd1.iso");
            Result = IsoWriter.Write(IsoWriterTests.Spec(Tree), Path);
        }

        public string Tree { get; }
        public string Path { get; }
        public IsoWriteResult Result { get; }
        public string Sub(string name) => _dir.Sub(name);
        public void Dispose() => _dir.Dispose();
    }

    private readonly Image _image;

    public IsoInteropTests(Image image) => _image = image;

    /// <summary>Parses <c>isoinfo -l</c>: "Directory listing of /x/" headers and one line per entry.</summary>
    private static SortedSet<string> IsoinfoListing(string output)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        string dir = "/";
        var line = new Regex(@"^([-dl])[-rwxsStT]{9}\s+\d+\s+\d+\s+\d+\s+(\d+)\s+\w{3}\s+\d+\s+\d{4}\s+\[\s*\d+\s+\d+\]\s\s(.*?) ?$");
        foreach (var raw in output.Split('\n'))
        {
            if (raw.StartsWith("Directory listing of ")) { dir = raw["Directory listing of ".Length..]; continue; }
            var m = line.Match(raw);
            if (!m.Success) continue;
            string name = m.Groups[3].Value;
            if (name is "." or "..") continue;
            set.Add(m.Groups[1].Value switch
            {
                "d" => $"d {dir}{name}",
                "l" => $"l {dir}{name}",
                _ => $"f {dir}{name} {m.Groups[2].Value}",
            });
        }
        return set;
    }

    internal static void AssertSameSet(IEnumerable<string> expected, IEnumerable<string> actual)
    {
        var e = new SortedSet<string>(expected, StringComparer.Ordinal);
        var a = new SortedSet<string>(actual, StringComparer.Ordinal);
        var missing = e.Except(a).ToList();
        var extra = a.Except(e).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0, $"missing: [{string.Join(" | ", missing)}]\nextra: [{string.Join(" | ", extra)}]");
    }

    [SkippableFact]
    public void Isoinfo_rock_ridge_listing_equals_the_tree()
    {
        Interop.Require("isoinfo");
        var listing = IsoinfoListing(Interop.RunOk("isoinfo", "-R", "-l", "-i", _image.Path));
        // isoinfo -l prints "name -> target" for symlinks: compare names without targets here, targets below.
        var expected = new SortedSet<string>(IsoWriterTests.ExpectedListing(_image.Tree).Select(l => l.StartsWith("l ") ? l[..l.IndexOf(" -> ")] : l), StringComparer.Ordinal);
        var got = new SortedSet<string>(listing.Select(l => l.Contains(" -> ") ? l[..l.IndexOf(" -> ")] : l), StringComparer.Ordinal);
        AssertSameSet(expected, got);
        Assert.Contains("l /link-to-readme -> README", listing);
        Assert.Contains("l /abs-link -> /etc/os-release", listing);
        Assert.Contains("l /hard/up-link -> ../README", listing);
    }

    [SkippableFact]
    public void Isoinfo_joliet_listing_equals_the_tree_without_symlinks()
    {
        // Joliet has no symlinks (libisofs leaves them out); -joliet-long allows 103 characters, longer names are cut
        // keeping the extension.
        Interop.Require("isoinfo");
        // isoinfo can only print Joliet names in 8-bit charsets (ISO 8859-1 by default), characters beyond as '_'.
        var (code, stdout, stderr) = Interop.Run(System.Text.Encoding.Latin1, "isoinfo", "-J", "-l", "-i", _image.Path);
        Assert.True(code == 0, stderr);
        var listing = IsoinfoListing(stdout);
        static string Latin1(string n) => new(n.Select(c => c > 0xFF ? '_' : c).ToArray());
        var expected = IsoWriterTests.ExpectedListing(_image.Tree, withSymlinks: false, map: n => Latin1(n.Length > 103 ? n[..99] + n[^4..] : n));
        AssertSameSet(expected, listing);
        Assert.Contains($"f /{IsoTestTree.Name103} {"103 characters\n".Length}", listing);
    }

    [SkippableFact]
    public void Isoinfo_reads_the_volume_id()
    {
        Interop.Require("isoinfo");
        var d = Interop.RunOk("isoinfo", "-d", "-i", _image.Path);
        Assert.Contains("Volume id: Fedora-41 Server.x86_64\n", d);
        Assert.Contains("Rock Ridge signatures version 1 found", d);
        Assert.Contains("Joliet with UCS level 3 found", d);
        Assert.Contains($"Volume size is: {_image.Result.Size / 2048}", d);
    }

    [SkippableFact]
    public void Xorriso_find_equals_the_tree()
    {
        Interop.Require("xorriso");
        var (code, stdout, stderr) = Interop.Run("xorriso", "-abort_on", "FAILURE", "-indev", _image.Path, "-find", "/", "-exec", "lsdl");
        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("SORRY", stderr);
        Assert.DoesNotContain("WARNING", stderr);
        Assert.DoesNotContain("FAILURE", stderr);
        var set = new SortedSet<string>(StringComparer.Ordinal);
        var line = new Regex(@"^([-dle])\S{9}\s+\d+\s+\d+\s+\d+\s+(\d+)\s+\w{3}\s+\d+\s+[\d:]+\s+'(.*?)'( -> '(.*)')?$");
        foreach (var raw in stdout.Split('\n'))
        {
            var m = line.Match(raw);
            if (!m.Success || m.Groups[3].Value == "/") continue;
            string path = m.Groups[3].Value.Replace("'\"'\"'", "'");
            set.Add(m.Groups[1].Value switch
            {
                "d" => $"d {path}",
                "l" => $"l {path} -> {m.Groups[5].Value}",
                _ => $"f {path} {m.Groups[2].Value}",
            });
        }
        AssertSameSet(IsoWriterTests.ExpectedListing(_image.Tree), set);
    }

    [SkippableFact]
    public void Xorriso_reports_bios_and_uefi_boot_entries()
    {
        Interop.Require("xorriso");
        var (_, report, err) = Interop.Run("xorriso", "-indev", _image.Path, "-report_el_torito", "plain");
        Assert.Matches(@"El Torito cat path : /isolinux/boot.cat", report);
        Assert.Matches(@"El Torito boot img :\s+1\s+BIOS\s+y\s+none\s+0x0000\s+0x00\s+4\s+\d+", report);
        Assert.Matches(@"El Torito boot img :\s+2\s+UEFI\s+y\s+none\s+0x0000\s+0x00\s+2880\s+\d+", report);
        Assert.Contains("El Torito img path :   1  /isolinux/isolinux.bin", report);
        Assert.Contains("El Torito img path :   2  /images/efiboot.img", report);
        Assert.Matches(@"El Torito img opts :\s+1\s+boot-info-table", report);
        Assert.DoesNotContain("FAILURE", err);
    }

    [SkippableFact]
    public void Xorriso_sees_the_isohybrid_mbr_and_gpt()
    {
        // What isohybrid --uefi / xorriso -isohybrid-gpt-basdat leave: MBR partition 1 active from 0 over the image,
        // partition 2 type 0xef on efiboot.img, a GPT naming the EFI image, cylinder-aligned size.
        Interop.Require("xorriso");
        var (_, report, _) = Interop.Run("xorriso", "-indev", _image.Path, "-report_system_area", "plain");
        long size512 = _image.Result.Size / 512;
        Assert.Contains("MBR", report);
        Assert.Contains("GPT", report);
        Assert.Matches($@"MBR partition      :   1   0x80  0x00\s+0\s+{size512}", report);
        Assert.Matches(@"MBR partition      :   2   0x00  0xef\s+\d+\s+2880", report);
        Assert.Contains("MBR partition path :   2  /images/efiboot.img", report);
        Assert.Contains("GPT partition path :   2  /images/efiboot.img", report);
        Assert.Equal(0, _image.Result.Size % (1024 * 1024));
        using var fs = File.OpenRead(_image.Path);
        var mbr = new byte[512];
        fs.ReadExactly(mbr);
        Assert.Equal(0x55, mbr[510]);
        Assert.Equal(0xAA, mbr[511]);
        if (File.Exists("/usr/lib/ISOLINUX/isohdpfx.bin"))
            Assert.Equal(File.ReadAllBytes("/usr/lib/ISOLINUX/isohdpfx.bin")[..432], mbr[..432]);
    }

    [SkippableFact]
    public void Checkisomd5_passes_and_md5sumonly_shows_our_sum()
    {
        Interop.Require("checkisomd5");
        Assert.True(_image.Result.Size >= 2 * 1024 * 1024);
        Interop.RunOk("checkisomd5", _image.Path);
        var only = Interop.RunOk("checkisomd5", "--md5sumonly", _image.Path);
        Assert.Contains($"{_image.Path}:   {_image.Result.ImplantedMd5}", only);
        Assert.Contains("Fragment count: 20", only);
        Assert.Contains("Supported ISO: no", only);
        Assert.True(IsoMd5.Check(_image.Path).Passed);
    }

    [SkippableFact]
    public void Checkisomd5_fails_when_a_byte_changes()
    {
        Interop.Require("checkisomd5");
        var copy = _image.Sub("corrupt.iso");
        File.Copy(_image.Path, copy, overwrite: true);
        using (var fs = new FileStream(copy, FileMode.Open))
        {
            fs.Position = _image.Result.Size / 2;
            int b = fs.ReadByte();
            fs.Position--;
            fs.WriteByte((byte)(b ^ 0xFF));
        }
        Assert.NotEqual(0, Interop.Run("checkisomd5", copy).Code);
        Assert.False(IsoMd5.Check(copy).Passed);
    }

    [SkippableFact]
    public void Our_implant_equals_implantisomd5_byte_for_byte()
    {
        Interop.Require("implantisomd5");
        using var t = new TempDir();
        var plain = t.Sub("plain.iso");
        IsoWriter.Write(IsoWriterTests.Spec(_image.Tree, md5: false), plain);
        var theirs = t.Sub("theirs.iso");
        File.Copy(plain, theirs);
        Interop.RunOk("implantisomd5", theirs);
        string md5 = IsoMd5.Implant(plain);
        Assert.Equal(File.ReadAllBytes(theirs), File.ReadAllBytes(plain));
        // The streaming implant of the writer gives the same bytes as implanting afterwards.
        Assert.Equal(File.ReadAllBytes(_image.Path), File.ReadAllBytes(plain));
        Assert.Equal(_image.Result.ImplantedMd5, md5);
    }

    [SkippableFact]
    public void Our_check_accepts_an_image_from_xorrisofs_and_implantisomd5()
    {
        Interop.Require("xorrisofs", "implantisomd5");
        using var t = new TempDir();
        var iso = t.Sub("x.iso");
        Interop.RunOk("xorrisofs", "-quiet", "-V", "X", "-J", "-R", "-o", iso, _image.Tree);
        Interop.RunOk("implantisomd5", "--supported-iso", iso);
        var r = IsoMd5.Check(iso);
        Assert.True(r.Passed);
        Assert.True(r.Supported);
        Assert.Equal(20, r.FragmentCount);
    }

    [SkippableFact]
    public void Osirrox_extraction_is_byte_identical()
    {
        Interop.Require("xorriso");
        var outDir = _image.Sub("extract");
        Interop.RunOk("xorriso", "-osirrox", "on", "-indev", _image.Path, "-extract", "/", outDir);
        AssertSameSet(IsoWriterTests.ExpectedListing(_image.Tree), IsoTestTree.Listing(outDir));
        foreach (var rel in IsoWriterTests.TreeFiles(_image.Tree))
        {
            if (rel == "isolinux/isolinux.bin") continue; // carries the boot-info-table
            using var a = File.OpenRead(Path.Combine(_image.Tree, rel));
            using var b = File.OpenRead(Path.Combine(outDir, rel));
            Assert.True(IsoTestTree.Sha256(a) == IsoTestTree.Sha256(b), rel);
        }
    }

    [SkippableFact]
    public void Boot_info_table_matches_mkisofs()
    {
        // mkisofs -boot-info-table: bytes 8-63 of the boot file = PVD LBA 16, file LBA, length, sum of the 32-bit
        // words from byte 64 on; the rest of the file unchanged. genisoimage writes the same table for comparison.
        Interop.Require("xorriso");
        using var r = IsoReader.Open(_image.Path);
        var entry = r.Find("isolinux/isolinux.bin")!;
        var bytes = new byte[entry.Size];
        using (var s = r.OpenRead(entry)) s.ReadExactly(bytes);
        var orig = File.ReadAllBytes(Path.Combine(_image.Tree, "isolinux/isolinux.bin"));
        Assert.Equal(orig[..8], bytes[..8]);
        Assert.Equal(orig[64..], bytes[64..]);
        Assert.Equal(16u, BitConverter.ToUInt32(bytes, 8));
        Assert.Equal((uint)entry.Extents[0].Lba, BitConverter.ToUInt32(bytes, 12));
        Assert.Equal((uint)orig.Length, BitConverter.ToUInt32(bytes, 16));
        uint sum = 0;
        for (int i = 64; i < orig.Length; i += 4) sum += BitConverter.ToUInt32(orig.AsSpan(i).Length >= 4 ? orig : [.. orig, 0, 0, 0], i);
        Assert.Equal(sum, BitConverter.ToUInt32(bytes, 20));
    }

    [SkippableFact]
    public void Uefi_only_catalog_as_for_aarch64()
    {
        // Spec §7.4 aarch64: "-eltorito-alt-boot -e images/efiboot.img -no-emul-boot" alone: one UEFI entry.
        Interop.Require("xorriso");
        using var t = new TempDir();
        var iso = t.Sub("aarch64.iso");
        IsoWriter.Write(new IsoImageSpec { SourceDirectory = _image.Tree, VolumeId = "Fedora-41 Server.aarch64", Boot = IsoBootOptions.Aarch64, Timestamp = IsoWriterTests.Epoch }, iso);
        var (_, report, _) = Interop.Run("xorriso", "-indev", iso, "-report_el_torito", "plain");
        Assert.Matches(@"El Torito boot img :\s+1\s+UEFI\s+y\s+none", report);
        Assert.DoesNotContain("BIOS", report);
        Assert.Contains("El Torito cat path : /boot.catalog", report);
    }

    [SkippableFact]
    public void Plain_iso9660_without_rock_ridge_or_joliet()
    {
        Interop.Require("isoinfo");
        using var t = new TempDir();
        var iso = t.Sub("plain.iso");
        IsoWriter.Write(new IsoImageSpec { SourceDirectory = _image.Tree, VolumeId = "PLAIN", RockRidge = false, Joliet = false, IsoLevel = 2, ImplantMd5 = false, Timestamp = IsoWriterTests.Epoch }, iso);
        var d = Interop.RunOk("isoinfo", "-d", "-i", iso);
        Assert.Contains("Volume id: PLAIN", d);
        Assert.Contains("NO Joliet present", d);
        Assert.DoesNotContain("Rock Ridge signatures", d);
        // The plain listing shows d-character names with ";1" versions for every file of the tree (no symlinks).
        var files = Interop.RunOk("isoinfo", "-f", "-i", iso).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("/README.;1", files);
        Assert.Contains("/D1/D2/D3/D4/D5/D6/D7/D8/D9/D10/DEEP.TXT;1", files);
        int treeEntries = IsoTestTree.Listing(_image.Tree, withSymlinks: false).Count;
        Assert.Equal(treeEntries, files.Length);
        using var r = IsoReader.Open(iso);
        Assert.False(r.HasRockRidge);
        Assert.False(r.HasJoliet);
    }
}
