using Pungi.Build.Diagnostics;
using Pungi.Build.Iso;
using Xunit;

namespace Pungi.Build.Tests.Iso;

/// <summary>Split media (spec §7.3, media_split.py): sizes, file order, the sequential splitter with sticky files.</summary>
public sealed class MediaSplitTests
{
    [Fact]
    public void MediaSize_IsIsoSizeMinusReserve_WithUpstreamsSuffixesAndDefaults()
    {
        // convert_media_size: b/k/M/G are powers of 1024; defaults 4 700 000 000 and 10 MiB.
        Assert.Equal(4_700_000_000L - 10 * 1024 * 1024, MediaSplit.MediaSize(null, null));
        Assert.Equal(10L * 1024 * 1024, MediaSplit.ParseSize("10M", "x"));
        Assert.Equal(1L << 30, MediaSplit.ParseSize("1G", "x"));
        Assert.Equal(3 * 1024L, MediaSplit.ParseSize("3k", "x"));
        Assert.Equal(512L, MediaSplit.ParseSize("512b", "x"));
        Assert.Equal(150 * 1024L - 1000, MediaSplit.MediaSize("150k", "1000"));
        Assert.Equal("PUNGI5028", Assert.Throws<PungiException>(() => MediaSplit.ParseSize("4.7G", "IsoSize")).Code);
        Assert.Equal("PUNGI5028", Assert.Throws<PungiException>(() => MediaSplit.MediaSize("5M", "5M")).Code);
    }

    [Fact]
    public void Split_PlacesStickyFilesOnEveryDisc_AndStartsANewDiscWhenTheNextFileWouldNotFit()
    {
        // Worked by hand, blocks of 2048: media.repo (sticky) 2048; a 4096; b 2048; x.rpm 6144; y.rpm 2048; media 10240.
        // Disc 1: 2048 + a + b = 8192; x would make 14336 > 10240 → disc 2: 2048 + x + y = 10240 (fits exactly).
        var files = new List<MediaFile>
        {
            new("a", 3000), new("b", 100), new("media.repo", 50, Sticky: true), new("Packages/x.rpm", 5000), new("Packages/y.rpm", 1000),
        };
        var discs = MediaSplit.Split(files, 10240);
        Assert.Equal(2, discs.Count);
        Assert.Equal(["media.repo", "a", "b"], discs[0].Files);
        Assert.Equal(8192, discs[0].Size);
        Assert.Equal(["media.repo", "Packages/x.rpm", "Packages/y.rpm"], discs[1].Files);
        Assert.Equal(10240, discs[1].Size);
        // No media size: one disc.
        Assert.Single(MediaSplit.Split(files, null));
        // A file that cannot fit beside the sticky files is an error.
        files.Add(new MediaFile("Packages/z.rpm", 9000));
        Assert.Equal("PUNGI5029", Assert.Throws<PungiException>(() => MediaSplit.Split(files, 10240)).Code);
    }

    [Fact]
    public void Plan_NeverSplitsBootableMedia_AndATooLargeBootableTreeIsAnError()
    {
        var files = new List<MediaFile> { new("isolinux/isolinux.bin", 40000), new("Packages/a.rpm", 40000) };
        Assert.Single(MediaSplit.Plan(files, 100_000, bootable: true, "Server.x86_64"));
        Assert.Equal(2, MediaSplit.Plan(files, 50_000, bootable: false, "Server.x86_64").Count);
        var e = Assert.Throws<PungiException>(() => MediaSplit.Plan(files, 50_000, bootable: true, "Server.x86_64"));
        Assert.Equal("PUNGI5027", e.Code);
        Assert.Contains("Server.x86_64", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CollectTree_SkipsRepodataAndBootIso_OtherFilesFirstThenPackages_ExtraFilesSticky()
    {
        using var tmp = new TempDir();
        var tree = tmp.Sub("os");
        foreach (var rel in new[] { "repodata/repomd.xml", "images/boot.iso", "images/efiboot.img", "Packages/b/b.rpm", "Packages/a/a.rpm", "media.repo", "GPL", ".treeinfo", "addons/HA/repodata/repomd.xml" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(tree, rel))!);
            File.WriteAllText(Path.Combine(tree, rel), rel);
        }
        var files = MediaSplit.CollectTree(tree, "Packages", ["GPL"]);
        Assert.Equal([".treeinfo", "GPL", "addons/HA/repodata/repomd.xml", "images/efiboot.img", "media.repo", "Packages/a/a.rpm", "Packages/b/b.rpm"], files.Select(f => f.Path).ToArray());
        Assert.Equal(["GPL", "media.repo"], files.Where(f => f.Sticky).Select(f => f.Path).ToArray());
    }
}
