using System.Buffers.Binary;
using System.Diagnostics;
using Pungi.Build.Diagnostics;
using Pungi.Build.Rpm;
using Xunit;

namespace Pungi.Build.Tests.Rpm;

/// <summary>Bad input raises one coded PungiException naming the file: never an unhandled exception, a hang, or a count-driven allocation.</summary>
public class RpmCorruptionTests
{
    private static readonly string Sample = Path.Combine(TestPaths.PungiDummyRpms, "x86_64", "dummy-bash-4.2.37-6.x86_64.rpm");

    private static PungiException ReadBytes(byte[] bytes)
    {
        return Assert.Throws<PungiException>(() =>
        {
            var file = RpmFile.Read(new MemoryStream(bytes), "bad.rpm");
            RpmHeaderReader.ToPackage(file);
            RpmHeaderReader.ReadFileEntries(file);
        });
    }

    private static byte[] Bytes() => File.ReadAllBytes(Sample);

    // Layout facts for this file from toolchain-debian12.md §7: signature header il=7 dl=4276, main header at 4504.
    private const int SigIntro = 96, MainStart = 4504;

    [Fact]
    public void Layout_OfSampleIsAsDocumented()
    {
        var f = RpmFile.Open(Sample);
        Assert.Equal((4504L, 5805L, 5853L), (f.HeaderStart, f.HeaderEnd, f.FileSize));
        Assert.Equal(7, f.Signature.Count);
    }

    [Fact]
    public void MissingFile_IsUnreadable()
    {
        var ex = Assert.Throws<PungiException>(() => RpmHeaderReader.Read("/nonexistent/x.rpm"));
        Assert.Equal(ErrorCodes.RpmUnreadable, ex.Code);
        Assert.Equal("/nonexistent/x.rpm", ex.File);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void EmptyOrTiny_IsNotAnRpm(int length) => Assert.Equal(ErrorCodes.RpmNotAnRpm, ReadBytes(Bytes()[..length]).Code);

    [Fact]
    public void TextFile_IsNotAnRpm()
    {
        var ex = ReadBytes("#!/bin/sh\necho this is not an rpm\n"u8.ToArray());
        Assert.Equal(ErrorCodes.RpmNotAnRpm, ex.Code);
        Assert.Equal("bad.rpm", ex.File);
    }

    [Theory]
    [InlineData(50)]      // inside the lead
    [InlineData(100)]     // inside the signature intro
    [InlineData(2000)]    // inside the signature header
    [InlineData(4510)]    // inside the main header intro
    [InlineData(5000)]    // inside the main header
    [InlineData(5804)]    // one byte short of the header end
    public void Truncated_IsTruncated(int length) => Assert.Equal(ErrorCodes.RpmTruncated, ReadBytes(Bytes()[..length]).Code);

    [Fact]
    public void TruncatedPayload_StillReadsHeaders()
    {
        // Only header bytes are read: a file cut right after the header still gives the package (as createrepo_c does).
        var file = RpmFile.Read(new MemoryStream(Bytes()[..5805]), "cut.rpm");
        Assert.Equal("dummy-bash", RpmHeaderReader.ToPackage(file).Name);
    }

    [Fact]
    public void BadLeadVersionOrSignatureType_IsNotAnRpm()
    {
        var b = Bytes(); b[4] = 2;
        Assert.Equal(ErrorCodes.RpmNotAnRpm, ReadBytes(b).Code);
        b = Bytes(); b[79] = 1;
        Assert.Equal(ErrorCodes.RpmNotAnRpm, ReadBytes(b).Code);
    }

    [Theory]
    [InlineData(SigIntro)]
    [InlineData(MainStart)]
    public void BadHeaderMagic_IsBadHeader(int at)
    {
        var b = Bytes(); b[at] = 0;
        Assert.Equal(ErrorCodes.RpmBadHeader, ReadBytes(b).Code);
    }

    [Theory]
    [InlineData(SigIntro + 8, 0x80000000u)]    // signature header claims 2^31 entries
    [InlineData(SigIntro + 8, 0x00010000u)]    // one over rpm's tag limit
    [InlineData(SigIntro + 12, 0x7fffffffu)]   // data size over 256 MiB
    [InlineData(MainStart + 8, 0x80000000u)]
    [InlineData(MainStart + 12, 0x10000000u)]
    [InlineData(MainStart + 8, 0u)]            // no entries
    public void AbsurdCounts_FailBeforeAllocating(int at, uint value)
    {
        var b = Bytes();
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(at), value);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(ErrorCodes.RpmBadHeader, ReadBytes(b).Code);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "the bad count drove a large allocation");
    }

    [Fact]
    public void PlausibleButTooLargeSizes_AreTruncated()
    {
        // 60000 entries is within rpm's limit but not within this file: refused from the file length, not allocated.
        var b = Bytes();
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(MainStart + 8), 60000);
        Assert.Equal(ErrorCodes.RpmTruncated, ReadBytes(b).Code);
    }

    private static int MainEntry(int i) => MainStart + 16 + 16 * i;

    [Fact]
    public void EntryOutsideStore_IsBadHeader()
    {
        var b = Bytes();
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(MainEntry(1) + 8), 0x7ffffff0);
        Assert.Equal(ErrorCodes.RpmBadHeader, ReadBytes(b).Code);
        b = Bytes();
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(MainEntry(1) + 8), -4);
        Assert.Equal(ErrorCodes.RpmBadHeader, ReadBytes(b).Code);
    }

    [Fact]
    public void EntryHugeCountOrUnknownType_IsBadHeader()
    {
        var b = Bytes();
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(MainEntry(2) + 12), 0x7fffffff);
        Assert.Equal(ErrorCodes.RpmBadHeader, ReadBytes(b).Code);
        b = Bytes();
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(MainEntry(2) + 4), 42);
        Assert.Equal(ErrorCodes.RpmBadHeader, ReadBytes(b).Code);
    }

    [Fact]
    public void NameTagMissing_IsMissingTag()
    {
        // Rename tag NAME (1000) to an unused tag number: header stays valid, NAME is gone.
        var b = Bytes();
        var header = RpmFile.Open(Sample).Header;
        int count = header.Count;
        for (int i = 0; i < count; i++)
            if (BinaryPrimitives.ReadInt32BigEndian(b.AsSpan(MainEntry(i))) == RpmTag.Name)
                BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(MainEntry(i)), 999);
        Assert.Equal(ErrorCodes.RpmMissingTag, ReadBytes(b).Code);
    }

    /// <summary>
    /// 10,000 seeded mutations of the parsed parts (lead, signature and main header index and stores) of every
    /// architecture's fixtures: each read either succeeds or raises a PungiException; never anything else.
    /// </summary>
    [Fact]
    public void Fuzz_10000Mutations_NoCrashNoHang()
    {
        var samples = RpmInterop.AllDummyRpms().Where((_, i) => i % 24 == 0).Select(File.ReadAllBytes).ToArray();
        var rng = new Random(4242);
        var sw = Stopwatch.StartNew();
        int failures = 0, ok = 0;
        for (int n = 0; n < 10_000; n++)
        {
            var src = samples[rng.Next(samples.Length)];
            int headerEnd = (int)RpmFile.Read(new MemoryStream(src), "x").HeaderEnd;
            var b = (byte[])src.Clone();
            int mutations = rng.Next(1, 6);
            for (int m = 0; m < mutations; m++)
            {
                int at = rng.Next(headerEnd);
                switch (rng.Next(4))
                {
                    case 0: b[at] = (byte)rng.Next(256); break;
                    case 1: b[at] ^= (byte)(1 << rng.Next(8)); break;
                    case 2: if (at + 4 <= b.Length) BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(at), (uint)rng.Next(int.MinValue, int.MaxValue)); break;
                    default: b = b[..rng.Next(headerEnd)]; break;
                }
                if (b.Length < headerEnd) break;
            }
            try
            {
                var file = RpmFile.Read(new MemoryStream(b), "fuzz.rpm");
                var p = RpmHeaderReader.ToPackage(file);
                RpmHeaderReader.ReadFileEntries(file);
                Pungi.Build.Repodata.CreaterepoRules.Dependencies(p);
                Pungi.Build.Repodata.CreaterepoRules.Changelogs(p.Changelogs);
                ok++;
            }
            catch (PungiException ex)
            {
                Assert.Equal("fuzz.rpm", ex.File);
                Assert.StartsWith("PUNGI20", ex.Code);
                failures++;
            }
        }
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(30), $"fuzzing took {sw.Elapsed}");
        Assert.True(failures > 1000 && ok > 100, $"mutations not exercising both paths: {failures} failed, {ok} read");
    }
}
