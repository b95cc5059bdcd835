using Xunit;
using System.Text;
using Pungi.Build.Compression;
using Pungi.Build.Diagnostics;
using Pungi.Build.Repodata;
using Pungi.Build.Rpm;

namespace Pungi.Build.Tests.Repodata;

public class CompressionTests
{
    [Theory]
    [InlineData(CompressionKind.Gzip, ".gz")]
    [InlineData(CompressionKind.Xz, ".xz")]
    [InlineData(CompressionKind.Zstd, ".zst")]
    [InlineData(CompressionKind.Bzip2, ".bz2")]
    [InlineData(CompressionKind.None, "")]
    public void Every_kind_round_trips_and_is_detected_by_magic(CompressionKind kind, string suffix)
    {
        var dir = RepodataTestSupport.TempDir("compress");
        var data = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("<package>dummy-bash</package>\n", 5000)));
        // A misleading name: detection must go by the magic bytes first.
        string path = Path.Combine(dir, "file" + (kind == CompressionKind.None ? "" : ".bin"));
        using (var w = Compressor.OpenWrite(path, kind)) w.Write(data);
        Assert.Equal(kind, Compressor.Detect(path));
        Assert.Equal(suffix, Compressor.Suffix(kind));
        using var r = Compressor.OpenRead(path);
        using var ms = new MemoryStream();
        r.CopyTo(ms);
        Assert.Equal(data, ms.ToArray());
    }

    /// <summary>createrepo_c's zlib header: no name, mtime 0, OS Unix — so output never depends on the clock.</summary>
    [Fact]
    public void Gzip_header_is_fixed_like_createrepo_c()
    {
        var ms = new MemoryStream();
        using (var w = Compressor.Compress(ms, CompressionKind.Gzip, leaveOpen: true)) w.Write("x"u8);
        Assert.Equal(new byte[] { 0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03 }, ms.ToArray()[..10]);
    }

    [Fact]
    public void Xz_output_is_decoded_by_the_real_xz_tool()
    {
        RepodataTestSupport.RequireTool("xz");
        var dir = RepodataTestSupport.TempDir("xz");
        string path = Path.Combine(dir, "a.xz");
        using (var w = Compressor.OpenWrite(path, CompressionKind.Xz)) w.Write("hello repodata\n"u8);
        Assert.Equal("hello repodata\n", RepodataTestSupport.Run("xz", "-dc", path));
    }

    [Fact]
    public void Unknown_compression_name_is_PUNGI4005()
        => Assert.Equal(ErrorCodes.UnknownCompression, Assert.Throws<PungiException>(() => Compressor.Parse("lz4")).Code);

    /// <summary>SHA-224 has no .NET implementation; check ours against FIPS 180-4's "abc" vector.</summary>
    [Fact]
    public void Sha224_matches_the_FIPS_vector()
    {
        using var h = RepodataChecksum.Create("sha224");
        h.Append("abc"u8);
        Assert.Equal("23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7", h.HexDigest());
    }
}

public class RepodataErrorTests
{
    private static RpmPackage Pkg(string name, string? checksum = "0123") => new()
    {
        Name = name, Version = "1.0", Release = "1", Arch = "x86_64", Checksum = checksum, Location = $"x86_64/{name}-1.0-1.x86_64.rpm",
    };

    [Fact]
    public void Missing_repomd_is_PUNGI4001_with_the_path()
    {
        var dir = RepodataTestSupport.TempDir("norepo");
        var e = Assert.Throws<PungiException>(() => RepodataReader.Read(dir));
        Assert.Equal(ErrorCodes.RepomdMissing, e.Code);
        Assert.EndsWith("repomd.xml", e.File);
    }

    [Fact]
    public void Record_with_wrong_checksum_is_PUNGI4003()
    {
        var dir = RepodataTestSupport.TempDir("badsum");
        RepodataWriter.Write(dir, [Pkg("a")], new RepodataOptions { Timestamp = 1 });
        var primary = RepodataReader.ReadRepomd(dir).Find("primary")!;
        string file = Path.Combine(dir, primary.Location);
        var bytes = File.ReadAllBytes(file);
        bytes[^5] ^= 0xff; // same size, different content
        File.WriteAllBytes(file, bytes);
        var e = Assert.Throws<PungiException>(() => RepodataReader.Read(dir));
        Assert.Equal(ErrorCodes.RepodataChecksumMismatch, e.Code);
        Assert.Equal(file, e.File);
    }

    [Fact]
    public void Malformed_primary_is_PUNGI4002_with_file_and_line()
    {
        var dir = RepodataTestSupport.TempDir("malformed");
        RepodataWriter.Write(dir, [Pkg("a")], new RepodataOptions { Timestamp = 1, Compression = CompressionKind.None });
        var primary = RepodataReader.ReadRepomd(dir).Find("primary")!;
        string file = Path.Combine(dir, primary.Location);
        File.WriteAllText(file, File.ReadAllText(file).Replace("</name>", "</nam>"));
        var e = Assert.Throws<PungiException>(() => RepodataReader.Read(dir, new RepodataReadOptions { VerifyChecksums = false }).ToList());
        Assert.Equal(ErrorCodes.RepodataMalformed, e.Code);
        Assert.Equal(file, e.File);
        Assert.Equal(4, e.Line);
    }

    [Fact]
    public void Malformed_repomd_is_PUNGI4002_with_line()
    {
        var dir = RepodataTestSupport.TempDir("badrepomd");
        Directory.CreateDirectory(Path.Combine(dir, "repodata"));
        File.WriteAllText(Path.Combine(dir, "repodata", "repomd.xml"), "<?xml version=\"1.0\"?>\n<repomd>\n  <data type=\"primary\">\n</repomd>\n");
        var e = Assert.Throws<PungiException>(() => RepodataReader.ReadRepomd(dir));
        Assert.Equal(ErrorCodes.RepodataMalformed, e.Code);
        Assert.Equal(4, e.Line);
    }

    [Fact]
    public void Unwritable_directory_is_PUNGI4008()
    {
        var e = Assert.Throws<PungiException>(() => RepodataWriter.Write("/proc/pungi-no-such-dir", [Pkg("a")]));
        Assert.Equal(ErrorCodes.RepodataWriteFailed, e.Code);
    }

    [Fact]
    public void Package_without_checksum_is_PUNGI4010_and_previous_repodata_survives()
    {
        var dir = RepodataTestSupport.TempDir("keep");
        RepodataWriter.Write(dir, [Pkg("a")], new RepodataOptions { Timestamp = 1 });
        string before = File.ReadAllText(Path.Combine(dir, "repodata", "repomd.xml"));
        var e = Assert.Throws<PungiException>(() => RepodataWriter.Write(dir, [Pkg("b"), Pkg("c", checksum: null)], new RepodataOptions { Timestamp = 2 }));
        Assert.Equal(ErrorCodes.PackageChecksumMissing, e.Code);
        Assert.Equal(before, File.ReadAllText(Path.Combine(dir, "repodata", "repomd.xml")));
        Assert.Equal(["a"], RepodataReader.Read(dir).Select(p => p.Name));
        Assert.Equal(4, Directory.GetFiles(Path.Combine(dir, "repodata")).Length); // no temp files left behind
    }

    [Fact]
    public void Unknown_checksum_type_is_PUNGI4009()
        => Assert.Equal(ErrorCodes.UnknownChecksumType,
            Assert.Throws<PungiException>(() => RepodataWriter.Write(RepodataTestSupport.TempDir("md5"), [Pkg("a")], new RepodataOptions { ChecksumType = "md5" })).Code);
}

public class ReproducibilityTests
{
    private static List<RpmPackage> Fixture() => RepodataReader.Read(Path.Combine(RepodataTestSupport.DummyRepos, "repo")).ToList();

    /// <summary>Same packages and options → byte-identical repodata, in a different directory and at a different time.</summary>
    [Theory]
    [InlineData(CompressionKind.Gzip)]
    [InlineData(CompressionKind.Zstd)]
    public void Same_input_gives_byte_identical_repodata(CompressionKind kind)
    {
        var pkgs = Fixture();
        var opts = new RepodataOptions { Timestamp = 1700000000, Compression = kind, GroupFile = RepodataTestSupport.DummyComps };
        var a = RepodataWriter.Write(RepodataTestSupport.TempDir("repro-a"), pkgs, opts);
        var b = RepodataWriter.Write(RepodataTestSupport.TempDir("repro-b"), pkgs, opts);
        Assert.Equal(File.ReadAllBytes(a.RepomdPath), File.ReadAllBytes(b.RepomdPath));
        Assert.Equal("1700000000", a.Repomd.Revision);
        Assert.All(a.Repomd.Records, r => Assert.Equal(1700000000, r.Timestamp));
        // unique-md-filenames: every href is repodata/<its checksum>-<type file>
        Assert.All(a.Repomd.Records, r => Assert.StartsWith("repodata/" + r.Checksum + "-", r.Location));
    }

    [Theory]
    [InlineData("sha1", 40)]
    [InlineData("sha224", 56)]
    [InlineData("sha384", 96)]
    [InlineData("sha512", 128)]
    public void CreaterepoChecksum_types_set_every_record_checksum(string type, int hexLength)
    {
        var dir = RepodataTestSupport.TempDir("sum-" + type);
        var result = RepodataWriter.Write(dir, Fixture().Take(3), new RepodataOptions { ChecksumType = type, Timestamp = 1 });
        Assert.All(result.Repomd.Records, r => { Assert.Equal(type, r.ChecksumType); Assert.Equal(hexLength, r.Checksum.Length); });
        Assert.Equal(3, RepodataReader.Read(dir).Count()); // the reader verifies with the same type
    }

    [Fact]
    public void Revision_and_timestamp_come_from_SOURCE_DATE_EPOCH_when_not_given()
    {
        var old = Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH");
        try
        {
            Environment.SetEnvironmentVariable("SOURCE_DATE_EPOCH", "1234567890");
            var r = RepodataWriter.Write(RepodataTestSupport.TempDir("sde"), Fixture().Take(1));
            Assert.Equal("1234567890", r.Repomd.Revision);
            Assert.All(r.Repomd.Records, x => Assert.Equal(1234567890, x.Timestamp));
            var explicitRev = RepodataWriter.Write(RepodataTestSupport.TempDir("sde2"), Fixture().Take(1), new RepodataOptions { Revision = "DP-1.0" });
            Assert.Equal("DP-1.0", explicitRev.Repomd.Revision);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SOURCE_DATE_EPOCH", old);
        }
    }

    /// <summary>Rewriting replaces the old files: only what the new repomd.xml lists stays.</summary>
    [Fact]
    public void Rewrite_removes_files_of_the_previous_repomd()
    {
        var dir = RepodataTestSupport.TempDir("rewrite");
        RepodataWriter.Write(dir, Fixture().Take(2), new RepodataOptions { Timestamp = 1, GroupFile = RepodataTestSupport.DummyComps });
        var second = RepodataWriter.Write(dir, Fixture().Take(3), new RepodataOptions { Timestamp = 2 });
        var expected = second.Repomd.Records.Select(r => Path.GetFileName(r.Location)).Append("repomd.xml").Order();
        Assert.Equal(expected, Directory.GetFiles(Path.Combine(dir, "repodata")).Select(Path.GetFileName).Order());
    }
}
