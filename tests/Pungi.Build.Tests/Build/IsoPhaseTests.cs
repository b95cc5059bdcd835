using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Pungi.Build.Checksums;
using Pungi.Build.Iso;

namespace Pungi.Build.Tests.Build;

/// <summary>
/// Createiso, ImageChecksum and Test over the sample product (issue 8; spec §2.8, §2.19, §2.20, §6.3, §7). Expected
/// names and volume IDs are the spec's default templates worked out by hand for ReleaseShort SAMPLE, ReleaseVersion
/// 1.0, compose ID SAMPLE-1.0-20261127.t.0:
/// <c>{compose_id}-{variant}-{arch}-{disc_type}{disc_num}{suffix}</c> with src written "source" (§7.1), and
/// <c>{release_short}-{version} {variant}.{arch}</c> with the raw arch (§7.2).
/// </summary>
[Collection("spawned builds")]
public sealed class IsoPhaseTests
{
    private const string Id = "SAMPLE-1.0-20261127.t.0";

    private static readonly (string Variant, string Arch, string Dir, string File, string VolumeId)[] Expected =
    [
        ("Server", "x86_64", "Server/x86_64/iso", $"{Id}-Server-x86_64-dvd1.iso", "SAMPLE-1.0 Server.x86_64"),
        ("Server", "src", "Server/source/iso", $"{Id}-Server-source-dvd1.iso", "SAMPLE-1.0 Server.src"),
        ("Workstation", "x86_64", "Workstation/x86_64/iso", $"{Id}-Workstation-x86_64-dvd1.iso", "SAMPLE-1.0 Workstation.x86_64"),
        ("Workstation", "src", "Workstation/source/iso", $"{Id}-Workstation-source-dvd1.iso", "SAMPLE-1.0 Workstation.src"),
    ];

    [SkippableFact]
    public void SampleGetsDvdAndSourceIsos_NoOpRebuildWritesNone_CreateisoSkipRemovesOne()
    {
        using var p = SampleCompose.Create();
        var first = p.Build();
        Assert.True(first.ExitCode == 0, first.Describe());
        var compose = Path.Combine(SampleCompose.TopDir(p), "compose");

        // §2.8: ISOs for variant-type trees and their sources; none for the addon (no iso dir) nor, without
        // create_optional_isos, for the optional variant.
        foreach (var e in Expected)
            Assert.True(File.Exists(Path.Combine(compose, e.Dir, e.File)), $"{e.Dir}/{e.File} missing");
        Assert.False(Directory.Exists(Path.Combine(compose, "Server-optional", "x86_64", "iso")));
        Assert.Empty(Directory.EnumerateFiles(compose, "*HighAvailability*.iso", SearchOption.AllDirectories));

        foreach (var e in Expected)
        {
            var iso = Path.Combine(compose, e.Dir, e.File);
            using (var reader = IsoReader.Open(iso))
                Assert.Equal(e.VolumeId, reader.VolumeId.TrimEnd());
            Assert.True(IsoMd5.Check(iso).Passed, $"implanted md5 of {e.File} does not verify");
            VerifyChecksumFiles(Path.Combine(compose, e.Dir), e.File);
        }
        AssertImagesJson(compose, Expected);
        var mtimes = Expected.ToDictionary(e => e.File, e => File.GetLastWriteTimeUtc(Path.Combine(compose, e.Dir, e.File)));

        if (IsoInterop.Available("isoinfo"))
            foreach (var e in Expected)
                Assert.Contains($"Volume id: {e.VolumeId}\n", Run("isoinfo", "-d", "-i", Path.Combine(compose, e.Dir, e.File)).Output);
        if (IsoInterop.Available("checkisomd5"))
            foreach (var e in Expected)
            {
                // What Pungi reads back after implantisomd5 (§7.4 post-processing): `path:   md5`.
                var iso = Path.Combine(compose, e.Dir, e.File);
                var md5 = Run("checkisomd5", "--md5sumonly", iso).Output.Split('\n')[0].Split(':')[^1].Trim();
                Assert.Equal(IsoMd5.ReadImplanted(iso).ImplantedMd5, md5);
            }
        if (IsoInterop.Available("sha256sum"))
            foreach (var e in Expected)
                {
                    // GNU sha256sum reads the BSD form and skips the '#' lines; names are relative to the directory.
                    var check = RunIn(Path.Combine(compose, e.Dir), "sha256sum", "-c", "--strict", "SHA256SUM");
                    Assert.True(check.ExitCode == 0, check.Output);
                }

        // No-op rebuild: no Createiso task, no ImageChecksum, no Test; no ISO rewritten.
        var second = p.Build();
        Assert.True(second.ExitCode == 0, second.Describe());
        var ran = second.Ran("_PungiCreateisoVariantArch", "ImageChecksum", "Test");
        Assert.True(ran.Count == 0, "a no-op rebuild ran: " + string.Join(", ", ran.Select(r => r.Instance)));
        foreach (var e in Expected)
            Assert.Equal(mtimes[e.File], File.GetLastWriteTimeUtc(Path.Combine(compose, e.Dir, e.File)));

        // createiso_skip for Workstation on '*' (which never matches src, spec §1.7) removes its binary ISO only; a
        // 3 MB file in the Server tree rebuilds that one ISO, big enough for checkisomd5's own check to apply.
        File.WriteAllText(p.ProjectPath, File.ReadAllText(p.ProjectPath).Replace("</ItemGroup>",
            "  <CreateisoSkip Include=\"true\" Variant=\"^Workstation$\" Arch=\"*\" />\n  </ItemGroup>", StringComparison.Ordinal));
        var big = new byte[3_000_000];
        new Random(8).NextBytes(big);
        File.WriteAllBytes(Path.Combine(compose, "Server", "x86_64", "os", "big.bin"), big);
        var third = p.Build();
        Assert.True(third.ExitCode == 0, third.Describe());
        Assert.Equal(["Server.x86_64", "Workstation.x86_64"],
            third.Ran("_PungiCreateisoVariantArch").Select(r => $"{r.Variant}.{r.Arch}").Order(StringComparer.Ordinal).ToArray());
        Assert.False(File.Exists(Path.Combine(compose, Expected[2].Dir, Expected[2].File)));
        Assert.False(Directory.Exists(Path.Combine(compose, Expected[2].Dir)), "Workstation's iso dir (checksum files) should go with its only ISO");
        Assert.Equal(mtimes[Expected[3].File], File.GetLastWriteTimeUtc(Path.Combine(compose, Expected[3].Dir, Expected[3].File)));
        var serverIso = Path.Combine(compose, Expected[0].Dir, Expected[0].File);
        Assert.True(new FileInfo(serverIso).Length > 3_000_000);
        VerifyChecksumFiles(Path.Combine(compose, Expected[0].Dir), Expected[0].File);
        AssertImagesJson(compose, [Expected[0], Expected[1], Expected[3]]);
        if (IsoInterop.Available("checkisomd5"))
        {
            var check = Run("checkisomd5", serverIso);
            Assert.True(check.ExitCode == 0 && check.Output.Contains("PASS", StringComparison.Ordinal), check.Output);
        }
    }

    [SkippableFact]
    public void XorrisoBackend_RunsXorrisofsAndImplantisomd5_AndTheTestPhaseAcceptsTheImages()
    {
        IsoInterop.Require("xorrisofs");
        IsoInterop.Require("implantisomd5");
        using var p = SampleCompose.Create();
        var run = p.Build("-p:IsoBackend=xorriso", "-p:MediaChecksums=sha256", "-p:MediaChecksumOneFile=true");
        Assert.True(run.ExitCode == 0, run.Describe());
        var compose = Path.Combine(SampleCompose.TopDir(p), "compose");
        foreach (var e in Expected)
        {
            var iso = Path.Combine(compose, e.Dir, e.File);
            using (var reader = IsoReader.Open(iso))
            {
                Assert.Equal(e.VolumeId, reader.VolumeId.TrimEnd());
                Assert.True(reader.HasRockRidge && reader.HasJoliet);
            }
            Assert.True(IsoMd5.Check(iso).Passed);
            // §7.5 one-file mode: only <dir>/CHECKSUM, no per-type files.
            Assert.True(File.Exists(Path.Combine(compose, e.Dir, "CHECKSUM")));
            Assert.False(File.Exists(Path.Combine(compose, e.Dir, "SHA256SUM")));
            Assert.False(File.Exists(Path.Combine(compose, e.Dir, e.File + ".SHA256SUM")));
        }
        Assert.Contains(run.Ran("Test"), t => t.Name == "Test");
        AssertImagesJson(compose, Expected, ["sha256"]);
    }

    /// <summary>
    /// §7.5: the per-image <c>&lt;iso&gt;.SHA256SUM</c> and the directory's <c>SHA256SUM</c> hold <c># name: N bytes</c> then
    /// <c>SHA256 (name) = hex</c>; every listed digest matches the file (what <c>sha256sum -c</c> checks).
    /// </summary>
    private static void VerifyChecksumFiles(string dir, string file)
    {
        var size = new FileInfo(Path.Combine(dir, file)).Length;
        foreach (var type in new[] { "md5", "sha1", "sha256" })
        {
            var suffix = type.ToUpperInvariant() + "SUM";
            var perImage = File.ReadAllText(Path.Combine(dir, file + "." + suffix));
            Assert.StartsWith($"# {file}: {size} bytes\n{type.ToUpperInvariant()} ({file}) = ", perImage, StringComparison.Ordinal);
            var lines = MediaChecksums.Parse(File.ReadAllText(Path.Combine(dir, suffix)));
            Assert.NotEmpty(lines);
            foreach (var (t, name, digest) in lines)
            {
                Assert.Equal(type, t);
                using var fs = File.OpenRead(Path.Combine(dir, name));
                byte[] actual = type switch { "md5" => MD5.HashData(fs), "sha1" => SHA1.HashData(fs), _ => SHA256.HashData(fs) };
                Assert.Equal(Convert.ToHexStringLower(actual), digest);
            }
            Assert.Contains(lines, l => l.FileName == file);
        }
    }

    /// <summary>§6.3: one dvd/iso entry per image, source images under the binary arch with "arch": "src".</summary>
    private static void AssertImagesJson(string compose, IEnumerable<(string Variant, string Arch, string Dir, string File, string VolumeId)> expected,
        string[]? types = null)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(compose, "metadata", "images.json")));
        Assert.Equal("productmd.images", doc.RootElement.GetProperty("header").GetProperty("type").GetString());
        var listed = new List<string>();
        foreach (var variant in doc.RootElement.GetProperty("payload").GetProperty("images").EnumerateObject())
            foreach (var arch in variant.Value.EnumerateObject())
            {
                Assert.Equal("x86_64", arch.Name);
                foreach (var image in arch.Value.EnumerateArray())
                {
                    var path = image.GetProperty("path").GetString()!;
                    var e = expected.Single(x => $"{x.Dir}/{x.File}" == path);
                    Assert.Equal(e.Variant, variant.Name);
                    Assert.Equal(e.Arch, image.GetProperty("arch").GetString());
                    Assert.Equal("dvd", image.GetProperty("type").GetString());
                    Assert.Equal("iso", image.GetProperty("format").GetString());
                    Assert.Equal(e.VolumeId, image.GetProperty("volume_id").GetString());
                    Assert.False(image.GetProperty("bootable").GetBoolean());
                    Assert.Equal(1, image.GetProperty("disc_number").GetInt32());
                    Assert.Equal(1, image.GetProperty("disc_count").GetInt32());
                    Assert.Equal(e.Variant, image.GetProperty("subvariant").GetString());
                    var full = Path.Combine(compose, path);
                    Assert.Equal(new FileInfo(full).Length, image.GetProperty("size").GetInt64());
                    Assert.Equal(IsoMd5.ReadImplanted(full).ImplantedMd5, image.GetProperty("implant_md5").GetString());
                    var sums = image.GetProperty("checksums").EnumerateObject().Select(c => c.Name).ToArray();
                    Assert.Equal(types ?? ["md5", "sha1", "sha256"], sums);
                    using var fs = File.OpenRead(full);
                    Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(fs)), image.GetProperty("checksums").GetProperty("sha256").GetString());
                    listed.Add(path);
                }
            }
        Assert.Equal(expected.Select(e => $"{e.Dir}/{e.File}").Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
    }

    private static (int ExitCode, string Output) Run(string tool, params string[] args) => RunIn(null, tool, args);

    private static (int ExitCode, string Output) RunIn(string? dir, string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir ?? "" };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var proc = Process.Start(psi)!;
        var stdout = proc.StandardOutput.ReadToEndAsync();
        var stderr = proc.StandardError.ReadToEnd();
        proc.WaitForExit();
        return (proc.ExitCode, stdout.Result + stderr);
    }
}

/// <summary>Real-tool checks: skipped when the tool is missing, failed instead under PUNGI_REQUIRE_INTEROP=1.</summary>
internal static class IsoInterop
{
    private static bool RequireAll => Environment.GetEnvironmentVariable("PUNGI_REQUIRE_INTEROP") == "1";

    public static bool Available(string tool)
    {
        bool found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => d.Length > 0 && File.Exists(Path.Combine(d, tool)));
        if (!found && RequireAll)
            throw new InvalidOperationException($"{tool} is required (PUNGI_REQUIRE_INTEROP=1) but not on PATH; apt-get install xorriso genisoimage isomd5sum.");
        return found;
    }

    public static void Require(string tool) => Skip.IfNot(Available(tool), $"{tool} not installed");
}

/// <summary>The checksum-file rules of spec §7.5 and the graft-point order of §7.4, without a build.</summary>
public sealed class IsoPhaseFileTests
{
    private static readonly Dictionary<string, string> A = new() { ["sha256"] = "aa", ["md5"] = "11" };
    private static readonly Dictionary<string, string> B = new() { ["sha256"] = "bb", ["md5"] = "22" };

    [Fact]
    public void ChecksumFile_IsBsdStyleWithSizeComments_SortedByFileNameThenType()
    {
        // make_checksums sorts (filename, size, type, digest); each entry is "# name: N bytes" + "TYPE (name) = hex".
        var text = MediaChecksums.Format([new ChecksummedFile("b.iso", 4096, B), new ChecksummedFile("a.iso", 2048, A)], ["md5", "sha256"]);
        Assert.Equal(
            "# a.iso: 2048 bytes\nMD5 (a.iso) = 11\n# a.iso: 2048 bytes\nSHA256 (a.iso) = aa\n" +
            "# b.iso: 4096 bytes\nMD5 (b.iso) = 22\n# b.iso: 4096 bytes\nSHA256 (b.iso) = bb\n", text);
        Assert.Equal([("sha256", "a.iso", "aa")], MediaChecksums.Parse("# a.iso: 2048 bytes\nSHA256 (a.iso) = aa\n"));
    }

    [Fact]
    public void ChecksumFiles_PerImageAndPerDirectory_OrOneCheckSumFileWithPrefix()
    {
        var dir = Directory.CreateTempSubdirectory("pungi-cksum").FullName;
        try
        {
            MediaChecksums.WriteDirectory(dir, [new ChecksummedFile("a.iso", 2048, A), new ChecksummedFile("b.iso", 4096, B)], ["md5", "sha256"], false, "");
            Assert.Equal(["MD5SUM", "SHA256SUM", "a.iso.MD5SUM", "a.iso.SHA256SUM", "b.iso.MD5SUM", "b.iso.SHA256SUM"],
                Directory.GetFiles(dir).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray());
            Assert.Equal("# b.iso: 4096 bytes\nSHA256 (b.iso) = bb\n", File.ReadAllText(Path.Combine(dir, "b.iso.SHA256SUM")));
            MediaChecksums.WriteDirectory(dir, [new ChecksummedFile("a.iso", 2048, A)], ["sha256"], true, "Fedora-Server-41-");
            Assert.Equal("# a.iso: 2048 bytes\nSHA256 (a.iso) = aa\n", File.ReadAllText(Path.Combine(dir, "Fedora-Server-41-CHECKSUM")));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void MediaChecksumOneFile_NeedsExactlyOneType_AndDefaultsAreMd5Sha1Sha256()
    {
        Assert.Equal(["md5", "sha1", "sha256"], MediaChecksums.Validate([], false));
        var e = Assert.Throws<Pungi.Build.Diagnostics.PungiException>(() => MediaChecksums.Validate([], true));
        Assert.Equal(Pungi.Build.Diagnostics.ErrorCodes.MediaChecksumOneFileNeedsOne, e.Code);
        Assert.Equal(Pungi.Build.Diagnostics.ErrorCodes.MediaChecksumUnknown, Assert.Throws<Pungi.Build.Diagnostics.PungiException>(() => MediaChecksums.Validate(["crc32"], false)).Code);
    }
}
