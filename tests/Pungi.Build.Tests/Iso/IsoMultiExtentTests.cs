using Pungi.Build.Diagnostics;
using Pungi.Build.Iso;
using Xunit;

namespace Pungi.Build.Tests.Iso;

/// <summary>ISO level 3 multi-extent files (ECMA-119 6.5.1), proven with a sparse file over 4 GiB.</summary>
public class IsoMultiExtentTests
{
    private const long Big = 4L * 1024 * 1024 * 1024 + 12345; // 4 GiB + 12345 bytes
    private const long MarkerAt = 4L * 1024 * 1024 * 1024 + 100;
    private static readonly byte[] Marker = "past-4GiB-marker"u8.ToArray();

    private static string SparseTree(TempDir t)
    {
        var tree = t.Sub("tree");
        Directory.CreateDirectory(tree);
        using (var fs = new FileStream(Path.Combine(tree, "big.img"), FileMode.CreateNew))
        {
            fs.SetLength(Big);
            fs.Position = MarkerAt;
            fs.Write(Marker);
        }
        File.WriteAllText(Path.Combine(tree, "small.txt"), "small\n");
        return tree;
    }

    [Fact]
    public void Files_over_4_GiB_need_level_3()
    {
        using var t = new TempDir();
        var tree = SparseTree(t);
        var e = Assert.Throws<PungiException>(() => IsoWriter.Write(new IsoImageSpec { SourceDirectory = tree, VolumeId = "BIG", IsoLevel = 2 }, t.Sub("big.iso")));
        Assert.Equal(ErrorCodes.IsoFileTooLarge, e.Code);
        Assert.False(File.Exists(t.Sub("big.iso")));
    }

    [SkippableFact]
    [Trait("Category", "Slow")]
    public void Sparse_file_over_4_GiB_is_written_as_multi_extent()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("PUNGI_SLOW_TESTS") == "1", "slow: set PUNGI_SLOW_TESTS=1 (writes and hashes a 4 GiB sparse image)");
        Interop.Require("xorriso", "checkisomd5");
        using var t = new TempDir();
        var tree = SparseTree(t);
        var iso = t.Sub("big.iso");
        IsoWriter.Write(new IsoImageSpec { SourceDirectory = tree, VolumeId = "BIG", IsoLevel = 3, Timestamp = IsoWriterTests.Epoch }, iso);

        using (var r = IsoReader.Open(iso))
        {
            var big = r.Find("big.img")!;
            Assert.Equal(Big, big.Size);
            // Extents of 4 GiB - 2 KiB as libisofs splits: 4294965248 + 14393 bytes.
            Assert.Equal([IsoWriter.MaxExtent, Big - IsoWriter.MaxExtent], big.Extents.Select(e => e.Length).ToArray());
            using var s = r.OpenRead(big);
            s.Position = MarkerAt;
            var got = new byte[Marker.Length];
            s.ReadExactly(got);
            Assert.Equal(Marker, got);
        }
        var (_, find, _) = Interop.Run("xorriso", "-indev", iso, "-find", "/big.img", "-exec", "lsdl");
        Assert.Contains($" {Big} ", find);
        var cut = t.Sub("cut.bin");
        Interop.RunOk("xorriso", "-osirrox", "on", "-indev", iso, "-extract_cut", "/big.img", MarkerAt.ToString(), Marker.Length.ToString(), cut);
        Assert.Equal(Marker, File.ReadAllBytes(cut));
        Interop.RunOk("checkisomd5", iso);
    }
}
