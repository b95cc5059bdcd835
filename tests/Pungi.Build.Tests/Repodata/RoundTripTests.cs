using Xunit;
using Pungi.Build.Repodata;

namespace Pungi.Build.Tests.Repodata;

/// <summary>
/// Fixture repodata written by createrepo_c, read with <see cref="RepodataReader"/> and written back with
/// <see cref="RepodataWriter"/>: the decompressed primary, filelists and other must come back byte for byte.
/// </summary>
public class RoundTripTests
{
    [Theory]
    [InlineData("repo")]
    [InlineData("repo-krb5-lookaside")]
    [InlineData("cockpit")]
    [InlineData("cockpit-lookaside")]
    public void Fixture_repodata_round_trips_byte_for_byte(string name)
    {
        string src = Path.Combine(RepodataTestSupport.DummyRepos, name);
        var repomd = RepodataReader.ReadRepomd(src);
        var packages = RepodataReader.Read(src).ToList();
        string outDir = RepodataTestSupport.TempDir("roundtrip-" + name);
        RepodataWriter.Write(outDir, packages, new RepodataOptions { Timestamp = 1, SortByFileName = false });
        var ours = RepodataReader.ReadRepomd(outDir);
        foreach (var type in new[] { "primary", "filelists", "other" })
        {
            string expected = RepodataTestSupport.ReadText(Path.Combine(src, repomd.Find(type)!.Location));
            string actual = RepodataTestSupport.ReadText(Path.Combine(outDir, ours.Find(type)!.Location));
            Assert.Equal(expected, actual);
            Assert.Equal(repomd.Find(type)!.OpenChecksum, ours.Find(type)!.OpenChecksum);
        }
    }

    /// <summary>
    /// The hand-written debuginfo fixture (single quotes, packages="0", every pkgid the same) still reads: the
    /// reader trusts the elements, not the header count, and joins duplicate pkgids in order.
    /// </summary>
    [Fact]
    public void Hand_written_debuginfo_fixture_reads_with_duplicate_pkgids()
    {
        var packages = RepodataReader.Read(Path.Combine(RepodataTestSupport.DummyRepos, "debuginfo")).ToList();
        string primary = RepodataTestSupport.ReadText(Path.Combine(RepodataTestSupport.DummyRepos, "debuginfo", "repodata", "primary.xml.gz"));
        int expected = primary.Split("<package type='rpm'>").Length - 1;
        Assert.Equal(expected, packages.Count);
        Assert.Contains(packages, p => p.Name == "libuser" && p.Arch == "src" && p.Location == "packages/libuser.rpm" && p.HeaderStart == 4504);
        Assert.All(packages, p => Assert.Equal(new string('a', 64), p.Checksum));
    }
}
