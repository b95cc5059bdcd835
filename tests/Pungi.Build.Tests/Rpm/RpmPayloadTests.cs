using System.Security.Cryptography;
using Pungi.Build.Diagnostics;
using Pungi.Build.Rpm;
using Xunit;

namespace Pungi.Build.Tests.Rpm;

/// <summary>
/// Payload streaming and extraction, checked against the header's own file metadata (modes, sizes, link targets,
/// SHA256 file digests) for RPMs built by rpmbuild with each payload compressor.
/// </summary>
public sealed class RpmPayloadTests : IClassFixture<RpmPayloadTests.BuiltRpms>
{
    private readonly BuiltRpms _built;

    public RpmPayloadTests(BuiltRpms built) => _built = built;

    /// <summary>Builds one small package per compressor once for the class (needs rpmbuild; else the tests skip).</summary>
    public sealed class BuiltRpms : IDisposable
    {
        public string Dir { get; } = Directory.CreateTempSubdirectory("pungi-rpm-payload-").FullName;
        public Dictionary<string, string> ByCompressor { get; } = [];
        public string? Error { get; }

        private const string Spec = """
            Name: payloadtest
            Version: 1.0
            Release: 1
            License: MIT
            Summary: payload test
            BuildArch: noarch
            %description
            payload test
            %install
            mkdir -p $RPM_BUILD_ROOT/usr/share/pt/sub $RPM_BUILD_ROOT/usr/bin $RPM_BUILD_ROOT/etc
            printf 'hello world\n' > $RPM_BUILD_ROOT/usr/share/pt/hello.txt
            head -c 100000 /dev/zero | tr '\0' 'x' > $RPM_BUILD_ROOT/usr/share/pt/big.txt
            : > $RPM_BUILD_ROOT/usr/share/pt/empty
            printf '#!/bin/sh\necho pt\n' > $RPM_BUILD_ROOT/usr/bin/pt
            ln -s ../share/pt/hello.txt $RPM_BUILD_ROOT/usr/bin/pt-hello
            printf 'linked\n' > $RPM_BUILD_ROOT/usr/share/pt/sub/a
            ln $RPM_BUILD_ROOT/usr/share/pt/sub/a $RPM_BUILD_ROOT/usr/share/pt/sub/b
            printf 'k=v\n' > $RPM_BUILD_ROOT/etc/pt.conf
            %files
            %attr(0755,root,root) /usr/bin/pt
            /usr/bin/pt-hello
            %attr(0640,root,root) %config(noreplace) /etc/pt.conf
            %dir %attr(0750,root,root) /usr/share/pt
            /usr/share/pt/hello.txt
            /usr/share/pt/big.txt
            /usr/share/pt/empty
            /usr/share/pt/sub
            %ghost /usr/share/pt/ghost.log
            """;

        public BuiltRpms()
        {
            if (RpmInterop.Find("rpmbuild") is not { } rpmbuild) { Error = "rpmbuild is not installed"; return; }
            string spec = Path.Combine(Dir, "pt.spec");
            File.WriteAllText(spec, Spec.Replace("\r", ""));
            foreach (var (comp, payload) in new[] { ("gzip", "w9.gzdio"), ("bzip2", "w9.bzdio"), ("xz", "w6.xzdio"), ("zstd", "w3.zstdio") })
            {
                string top = Path.Combine(Dir, comp);
                RpmInterop.Run(rpmbuild, ["-bb", "--quiet", "--define", $"_topdir {top}", "--define", $"_binary_payload {payload}",
                    "--define", "__spec_install_post %{nil}", "--define", "_build_id_links none", spec]);
                ByCompressor[comp] = Directory.EnumerateFiles(Path.Combine(top, "RPMS"), "*.rpm", SearchOption.AllDirectories).Single();
            }
        }

        public void Dispose() => Directory.Delete(Dir, true);
    }

    private string Built(string compressor)
    {
        if (_built.Error is not null)
        {
            if (RpmInterop.RequireInterop) Assert.Fail(_built.Error + " but PUNGI_REQUIRE_INTEROP=1");
            Skip.If(true, _built.Error + "; payload interop test skipped");
        }
        return _built.ByCompressor[compressor];
    }

    [SkippableTheory]
    [InlineData("gzip")]
    [InlineData("bzip2")]
    [InlineData("xz")]
    [InlineData("zstd")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Extract_MatchesHeaderMetadataAndDigests(string compressor)
    {
        string rpm = Built(compressor);
        var file = RpmFile.Open(rpm);
        Assert.Equal(compressor, file.Header.GetString(RpmTag.PayloadCompressor));
        Assert.Equal(8, file.Header.GetNumber(RpmTag.FileDigestAlgo)); // SHA256 digests in FILEDIGESTS
        string outDir = Path.Combine(_built.Dir, "out-" + compressor);
        var written = RpmPayloadReader.ExtractTo(rpm, outDir);
        var headerFiles = RpmHeaderReader.ReadFileEntries(file).Where(f => !f.IsGhost).ToList();
        Assert.Equal(headerFiles.Select(f => f.Path).Order(StringComparer.Ordinal), written.Select(w => w.Path).Order(StringComparer.Ordinal));
        foreach (var f in headerFiles)
        {
            string p = Path.Combine(outDir, f.Path.TrimStart('/'));
            var info = new FileInfo(p);
            if (f.IsSymlink)
            {
                Assert.Equal(f.LinkTo, info.LinkTarget);
                continue;
            }
            Assert.Equal((UnixFileMode)(f.Mode & 0xfff), File.GetUnixFileMode(p));
            if (f.IsDirectory) { Assert.True(Directory.Exists(p)); continue; }
            Assert.Equal(f.Size, info.Length);
            Assert.Equal(f.Digest, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(p))));
            Assert.Equal(f.MTime, new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeSeconds());
        }
        Assert.False(File.Exists(Path.Combine(outDir, "usr/share/pt/ghost.log"))); // ghosts are not in the payload
        // The hardlink pair shares one inode after extraction.
        Assert.Equal(2, HardLinkCount(Path.Combine(outDir, "usr/share/pt/sub/a")));
    }

    private static int HardLinkCount(string path)
    {
        string stat = RpmInterop.Run("stat", ["-c", "%h", path]).Trim();
        return int.Parse(stat);
    }

    [SkippableFact]
    public void Enumerate_StreamsEntriesWithoutReadingContent()
    {
        string rpm = Built("zstd");
        using var reader = RpmPayloadReader.Open(rpm);
        var names = new List<string>();
        while (reader.MoveNext())
        {
            names.Add(reader.Current!.Path);
            if (reader.Current.Path == "/usr/share/pt/hello.txt")
            {
                using var s = new StreamReader(reader.OpenContent());
                Assert.Equal("hello world\n", s.ReadToEnd());
            }
        }
        Assert.Contains("/usr/bin/pt-hello", names);
        Assert.Contains("/usr/share/pt/big.txt", names);
        Assert.False(reader.MoveNext());
    }

    [Fact]
    public void FixtureRpms_GzipPayloadsMatchHeaderDigests()
    {
        int checkedFiles = 0;
        foreach (var rpm in RpmInterop.AllDummyRpms().Where(f => RpmHeaderReader.ReadFileEntries(RpmFile.Open(f)).Any(e => e.IsRegular && e.Size > 0)).Take(40))
        {
            var headerFiles = RpmHeaderReader.ReadFileEntries(RpmFile.Open(rpm)).Where(f => f.IsRegular && !f.IsGhost).ToDictionary(f => f.Path);
            using var reader = RpmPayloadReader.Open(rpm);
            while (reader.MoveNext())
            {
                var e = reader.Current!;
                if (!headerFiles.TryGetValue(e.Path, out var f) || e.Size == 0) continue;
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buf = new byte[4096];
                using var content = reader.OpenContent();
                int n;
                while ((n = content.Read(buf, 0, buf.Length)) > 0) hash.AppendData(buf, 0, n);
                Assert.Equal(f.Digest, Convert.ToHexStringLower(hash.GetHashAndReset()));
                checkedFiles++;
            }
        }
        Assert.True(checkedFiles > 0);
    }

    [Fact]
    public void TruncatedPayload_IsCodedError()
    {
        string src = RpmInterop.AllDummyRpms().First(f => RpmHeaderReader.ReadFileEntries(RpmFile.Open(f)).Any(e => e.IsRegular && e.Size > 0));
        var rpm = RpmFile.Open(src);
        string cut = Path.Combine(Path.GetTempPath(), $"pungi-cut-{Environment.ProcessId}.rpm");
        try
        {
            File.WriteAllBytes(cut, File.ReadAllBytes(src)[..(int)(rpm.HeaderEnd + 20)]);
            var ex = Assert.Throws<PungiException>(() => RpmPayloadReader.ExtractTo(cut, cut + ".d"));
            Assert.True(ex.Code is ErrorCodes.RpmTruncated or ErrorCodes.RpmBadPayload, ex.Code);
            Assert.Equal(cut, ex.File);
        }
        finally
        {
            File.Delete(cut);
            if (Directory.Exists(cut + ".d")) Directory.Delete(cut + ".d", true);
        }
    }
}
