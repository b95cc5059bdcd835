using Xunit;
using Pungi.Build.Compression;
using Pungi.Build.Repodata;

namespace Pungi.Build.Tests.Repodata;

/// <summary>
/// Our repodata against createrepo_c 0.17 (Debian 12) and dnf on the 432 real pungi-dummy RPMs: createrepo_c
/// writes its repodata, we read it and write ours for the same packages, and the tools must not tell them apart.
/// </summary>
public class CreaterepoInteropTests
{
    private const long Stamp = 1569587844;

    private static (string Theirs, string Ours) BuildBoth(string name, RepodataOptions? options = null)
    {
        RepodataTestSupport.RequireTool("createrepo_c");
        string theirs = RepodataTestSupport.TempDir(name + "-createrepo_c");
        RepodataTestSupport.Run("createrepo_c", "-q", "--no-database", "--revision", Stamp.ToString(), "--set-timestamp-to-revision",
            "--groupfile", RepodataTestSupport.DummyComps, "--outputdir", theirs, TestPaths.PungiDummyRpms);
        string ours = RepodataTestSupport.TempDir(name + "-ours");
        var packages = RepodataReader.Read(theirs).ToList();
        RepodataWriter.Write(ours, packages, (options ?? new RepodataOptions()) with { Timestamp = Stamp, GroupFile = RepodataTestSupport.DummyComps });
        return (theirs, ours);
    }

    /// <summary>Every package element of primary, filelists and other equals createrepo_c's, in the same order.</summary>
    [SkippableFact]
    public void Primary_filelists_other_equal_createrepo_c_output_for_the_same_rpms()
    {
        var (theirs, ours) = BuildBoth("equal");
        var a = RepodataReader.ReadRepomd(theirs);
        var b = RepodataReader.ReadRepomd(ours);
        Assert.Equal(a.Revision, b.Revision);
        Assert.Equal(a.Records.Select(r => r.Type), b.Records.Select(r => r.Type));
        foreach (var type in new[] { "primary", "filelists", "other" })
        {
            Assert.Equal(RepodataTestSupport.ReadText(Path.Combine(theirs, a.Find(type)!.Location)),
                RepodataTestSupport.ReadText(Path.Combine(ours, b.Find(type)!.Location)));
            Assert.Equal(a.Find(type)!.OpenChecksum, b.Find(type)!.OpenChecksum);
            Assert.Equal(a.Find(type)!.OpenSize, b.Find(type)!.OpenSize);
            Assert.Equal(a.Find(type)!.Timestamp, b.Find(type)!.Timestamp);
        }
        // group is the comps file itself: same bytes, so the same checksum and location.
        Assert.Equal(a.Find("group"), b.Find("group"));
        Assert.Equal(a.Find("group_gz")!.OpenChecksum, b.Find("group_gz")!.OpenChecksum);
    }

    /// <summary>dnf repoquery with every field createrepo_c writes gives the same answer on both repositories.</summary>
    [SkippableFact]
    public void Dnf_repoquery_answers_the_same_on_ours_and_createrepo_c()
    {
        RepodataTestSupport.RequireTool("dnf");
        var (theirs, ours) = BuildBoth("dnf");
        // Location-relative RPMs: point both repos' packages at the fixture tree.
        Assert.Equal(Query(theirs), Query(ours));
    }

    private static string Query(string repo)
    {
        string root = RepodataTestSupport.TempDir("dnfroot");
        string conf = Path.Combine(root, "dnf.conf");
        File.WriteAllText(conf, "[main]\ngpgcheck=0\n");
        const string qf = "%{name}|%{epoch}|%{version}|%{release}|%{arch}|%{summary}|%{url}|%{license}|%{buildtime}|%{size}|%{sourcerpm}"
            + "|%{requires}|%{provides}|%{conflicts}|%{obsoletes}|%{recommends}|%{suggests}|%{supplements}|%{enhances}|%{files}";
        return RepodataTestSupport.Run("dnf", "-q", "--config", conf, "--setopt=reposdir=/dev/null", "--installroot", root, "--releasever=1",
            "--forcearch=x86_64", "--repofrompath", "t," + repo, "--repo=t", "repoquery", "--qf", qf, "--quiet");
    }

    /// <summary>createrepo_c --update reads our repodata as its old metadata and reuses it.</summary>
    [SkippableFact]
    public void Createrepo_c_update_reads_our_repodata()
    {
        var (theirs, ours) = BuildBoth("update");
        RepodataTestSupport.Run("createrepo_c", "-q", "--update", "--no-database", "--revision", Stamp.ToString(), "--set-timestamp-to-revision",
            "--outputdir", ours, TestPaths.PungiDummyRpms);
        var after = RepodataReader.ReadRepomd(ours);
        Assert.Equal(RepodataTestSupport.ReadText(Path.Combine(theirs, RepodataReader.ReadRepomd(theirs).Find("primary")!.Location)),
            RepodataTestSupport.ReadText(Path.Combine(ours, after.Find("primary")!.Location)));
    }

    /// <summary>xz output (via liblzma) and sqlite databases are read by createrepo_c's own tools and dnf.</summary>
    [SkippableFact]
    public void Xz_and_database_output_is_accepted_by_mergerepo_c()
    {
        RepodataTestSupport.RequireTool("mergerepo_c");
        var (theirs, ours) = BuildBoth("xz", new RepodataOptions { Compression = CompressionKind.Xz, Database = true });
        var repomd = RepodataReader.ReadRepomd(ours);
        Assert.EndsWith(".xml.xz", repomd.Find("primary")!.Location);
        Assert.Equal(10, repomd.Find("primary_db")!.DatabaseVersion);
        Assert.NotNull(repomd.Find("group_xz"));
        // mergerepo_c keeps one package per name.arch; merging createrepo_c's own repodata is the yardstick.
        var mergedPkgs = Merge(ours);
        var theirPkgs = Merge(theirs);
        Assert.NotEmpty(mergedPkgs);
        Assert.Equal(theirPkgs, mergedPkgs);
    }

    private static List<string> Merge(string repo)
    {
        string merged = RepodataTestSupport.TempDir("merged");
        RepodataTestSupport.Run("mergerepo_c", "--no-database", "--repo", repo, "--outputdir", merged);
        return RepodataReader.Read(merged).Select(p => p.Nevra + " " + p.Checksum + " " + p.Requires.Count + " " + p.Files.Count).Order().ToList();
    }
}
