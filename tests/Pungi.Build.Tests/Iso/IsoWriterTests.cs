using Xunit;
using Pungi.Build.Diagnostics;
using Pungi.Build.Iso;

namespace Pungi.Build.Tests.Iso;

public class IsoWriterTests
{
    internal static readonly DateTimeOffset Epoch = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    internal static IsoImageSpec Spec(string tree, bool boot = true, bool md5 = true) => new()
    {
        SourceDirectory = tree,
        VolumeId = "Fedora-41 Server.x86_64",
        ApplicationId = "Pungi.Build",
        PublisherId = "Pungi.Build tests",
        Boot = boot ? IsoBootOptions.X86_64 : null,
        ImplantMd5 = md5,
        Timestamp = Epoch,
    };

    /// <summary>The tree plus the boot catalog the writer adds (mkisofs -c isolinux/boot.cat).</summary>
    internal static SortedSet<string> ExpectedListing(string tree, bool withSymlinks = true, Func<string, string>? map = null)
    {
        var set = IsoTestTree.Listing(tree, withSymlinks, map);
        set.Add("f /isolinux/boot.cat 2048");
        return set;
    }

    internal static SortedSet<string> ReaderListing(IsoReader reader, IsoNameSource source)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var e in reader.Walk(source))
        {
            set.Add(e.Kind switch
            {
                IsoEntryKind.Directory => $"d {e.Path}",
                IsoEntryKind.Symlink => $"l {e.Path} -> {e.LinkTarget}",
                _ => $"f {e.Path} {e.Size}",
            });
        }
        return set;
    }

    /// <summary>Relative paths of the tree's regular files (symlinks not followed).</summary>
    internal static IEnumerable<string> TreeFiles(string tree) =>
        IsoTestTree.Listing(tree).Where(l => l.StartsWith("f ")).Select(l => l[3..l.LastIndexOf(' ')]);

    [Fact]
    public void RockRidge_tree_reads_back_exactly()
    {
        using var t = new TempDir();
        var tree = IsoTestTree.Create(t.Sub("tree"));
        var iso = t.Sub("out/test.iso");
        var result = IsoWriter.Write(Spec(tree), iso);
        Assert.Equal(new FileInfo(iso).Length, result.Size);
        using var r = IsoReader.Open(iso);
        Assert.Equal("Fedora-41 Server.x86_64", r.VolumeId);
        Assert.True(r.HasRockRidge);
        Assert.Equal(ExpectedListing(tree), ReaderListing(r, IsoNameSource.RockRidge));
        foreach (var rel in TreeFiles(tree))
        {
            if (rel == "isolinux/isolinux.bin") continue; // patched by -boot-info-table
            using var s = r.OpenRead(rel);
            using var orig = File.OpenRead(Path.Combine(tree, rel));
            Assert.True(IsoTestTree.Sha256(orig) == IsoTestTree.Sha256(s), rel);
        }
    }

    [Fact]
    public void Hard_links_share_extent_serial_and_link_count()
    {
        using var t = new TempDir();
        var tree = IsoTestTree.Create(t.Sub("tree"));
        var iso = t.Sub("test.iso");
        IsoWriter.Write(Spec(tree, boot: false), iso);
        using var r = IsoReader.Open(iso);
        var a = r.Find("hard/original.dat")!;
        var b = r.Find("hard/linked.dat")!;
        Assert.Equal(a.Extents[0].Lba, b.Extents[0].Lba);
        Assert.Equal(a.Serial, b.Serial);
        Assert.Equal(2u, a.Links);
        Assert.NotEqual(a.Serial, r.Find("README")!.Serial);
        Assert.Equal(1u, r.Find("README")!.Links);
    }

    [Fact]
    public void Rational_rock_modes_as_mkisofs_r()
    {
        // mkisofs -r: everything readable, execute for all when any execute bit was set, no write bits, uid/gid 0.
        using var t = new TempDir();
        var tree = IsoTestTree.Create(t.Sub("tree"));
        var iso = t.Sub("test.iso");
        IsoWriter.Write(Spec(tree, boot: false), iso);
        using var r = IsoReader.Open(iso);
        Assert.Equal(Convert.ToUInt32("100555", 8), r.Find("bin/run.sh")!.Mode);
        Assert.Equal(Convert.ToUInt32("100444", 8), r.Find("README")!.Mode);
        Assert.Equal(Convert.ToUInt32("040555", 8), r.Find("bin")!.Mode);
        Assert.Equal(Convert.ToUInt32("120777", 8), r.Find("link-to-readme")!.Mode);
    }

    [Fact]
    public void Same_tree_and_options_give_identical_bytes()
    {
        using var t = new TempDir();
        var tree = IsoTestTree.Create(t.Sub("tree"));
        IsoWriter.Write(Spec(tree), t.Sub("a.iso"));
        IsoWriter.Write(Spec(tree), t.Sub("b.iso"));
        using var a = File.OpenRead(t.Sub("a.iso"));
        using var b = File.OpenRead(t.Sub("b.iso"));
        Assert.Equal(IsoTestTree.Sha256(a), IsoTestTree.Sha256(b));
    }

    [Fact]
    public void Source_date_epoch_sets_the_volume_time()
    {
        Assert.Equal(Epoch.UtcDateTime, IsoWriter.ResolveTime(Epoch));
        var previous = Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH");
        try
        {
            Environment.SetEnvironmentVariable("SOURCE_DATE_EPOCH", "1234567890");
            Assert.Equal(new DateTime(2009, 2, 13, 23, 31, 30, DateTimeKind.Utc), IsoWriter.ResolveTime(null));
        }
        finally
        {
            Environment.SetEnvironmentVariable("SOURCE_DATE_EPOCH", previous);
        }
    }

    [Fact]
    public void Iso9660_names_are_unique_d_characters_and_sorted()
    {
        using var t = new TempDir();
        var tree = IsoTestTree.Create(t.Sub("tree"));
        var iso = t.Sub("test.iso");
        IsoWriter.Write(Spec(tree, boot: false), iso);
        using var r = IsoReader.Open(iso);
        var root = r.Walk(IsoNameSource.Iso9660).Where(e => e.Path.LastIndexOf('/') == 0).Select(e => e.Path[1..]).ToList();
        Assert.All(root, n => Assert.Matches("^[A-Z0-9_]{1,31}(\\.[A-Z0-9_]*)?$", n));
        Assert.Equal(root.Count, root.Distinct().Count());
        // "a-b.txt", "a_b.txt" both map to A_B.TXT: the second one gets a counter.
        Assert.Contains("A_B.TXT", root);
        Assert.Contains("A_B1.TXT", root);
    }

    [Fact]
    public void Level_1_uses_8_3_names()
    {
        using var t = new TempDir();
        var tree = IsoTestTree.Create(t.Sub("tree"));
        var iso = t.Sub("test.iso");
        IsoWriter.Write(new IsoImageSpec { SourceDirectory = tree, VolumeId = "L1", IsoLevel = 1, Timestamp = Epoch }, iso);
        using var r = IsoReader.Open(iso);
        foreach (var e in r.Walk(IsoNameSource.Iso9660))
        {
            var name = e.Path[(e.Path.LastIndexOf('/') + 1)..];
            Assert.Matches(e.Kind == IsoEntryKind.Directory ? "^[A-Z0-9_]{1,8}$" : "^[A-Z0-9_]{0,8}\\.?[A-Z0-9_]{0,3}$", name);
        }
        // Still readable through Rock Ridge.
        Assert.Equal(IsoTestTree.Listing(tree), ReaderListing(r, IsoNameSource.RockRidge));
    }

    [Fact]
    public void Missing_boot_image_fails_and_leaves_no_file()
    {
        using var t = new TempDir();
        var tree = IsoTestTree.Create(t.Sub("tree"));
        File.Delete(Path.Combine(tree, "images/efiboot.img"));
        var iso = t.Sub("test.iso");
        var e = Assert.Throws<PungiException>(() => IsoWriter.Write(Spec(tree), iso));
        Assert.Equal(ErrorCodes.IsoBootImageMissing, e.Code);
        Assert.Empty(Directory.EnumerateFiles(t.Path));
    }

    [Fact]
    public void Cancelled_write_leaves_no_partial_image()
    {
        using var t = new TempDir();
        var tree = IsoTestTree.Create(t.Sub("tree"));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => IsoWriter.Write(Spec(tree), t.Sub("test.iso"), cts.Token));
        Assert.Empty(Directory.EnumerateFiles(t.Path));
    }

    [Fact]
    public void Volume_id_over_32_characters_is_refused()
    {
        using var t = new TempDir();
        var e = Assert.Throws<PungiException>(() => IsoWriter.Write(new IsoImageSpec { SourceDirectory = t.Path, VolumeId = new string('V', 33) }, t.Sub("x.iso")));
        Assert.Equal(ErrorCodes.IsoVolumeIdInvalid, e.Code);
    }

    [Fact]
    public void Grafts_overlay_the_tree_and_win()
    {
        using var t = new TempDir();
        var tree = IsoTestTree.Create(t.Sub("tree"));
        var staging = t.Sub("staging");
        Directory.CreateDirectory(staging);
        File.WriteAllText(Path.Combine(staging, "treeinfo"), "[header]\nversion = 1.2\n");
        var iso = t.Sub("test.iso");
        IsoWriter.Write(new IsoImageSpec
        {
            SourceDirectory = tree, VolumeId = "G", Timestamp = Epoch,
            Grafts = [new IsoGraft("README", Path.Combine(staging, "treeinfo")), new IsoGraft("extra/dir/.treeinfo", Path.Combine(staging, "treeinfo"))],
        }, iso);
        using var r = IsoReader.Open(iso);
        using var s = new StreamReader(r.OpenRead("README"));
        Assert.Equal("[header]\nversion = 1.2\n", s.ReadToEnd());
        Assert.NotNull(r.Find("extra/dir/.treeinfo"));
    }
}
