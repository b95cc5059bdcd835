using Pungi.Build.Pkgset;
using Pungi.Build.Repodata;
using Pungi.Build.Tests.Repodata;
using Xunit;

namespace Pungi.Build.Tests.Pkgset;

/// <summary>
/// Spec §1.4 pkgset_repo and §2.2.1 step 9: each package set is materialised as a repo, <c>work/global/repo/&lt;name&gt;</c>
/// and <c>work/&lt;arch&gt;/repo/&lt;name&gt;</c>, the way upstream runs
/// <c>createrepo_c &lt;prefix&gt; --baseurl=file://&lt;prefix&gt; --pkglist=&lt;package list&gt; --no-database</c>.
/// </summary>
public class PkgsetReposTests
{
    private static PkgsetResult Build(string work) => PackageSetBuilder.Build(new PkgsetRequest
    {
        WorkDir = work,
        Arches = ["x86_64", "s390x"],
        Repositories = [new PackageRepositoryInput(TestPaths.PungiDummyRpms)],
        MultilibArches = ["x86_64", "s390x"],
        MaxParallelism = 2,
    });

    /// <summary>Our repos hold exactly the package list's RPMs, with the xml upstream's createrepo_c call writes.</summary>
    [SkippableFact]
    public void Pkgset_repos_equal_createrepo_c_with_upstreams_pkglist_and_baseurl()
    {
        using var tmp = new TempDir();
        var work = tmp.Sub("work");
        var result = Build(work);
        var written = PkgsetRepos.Write(result, work);
        Assert.Equal(new[] { "global", "x86_64", "s390x" }.Select(a => PkgsetPaths.Repo(work, a, "repos")).Order(), written.Order());

        // The arch repo lists the arch's package set, every location relative to the path prefix.
        var x86 = RepodataReader.Read(PkgsetPaths.Repo(work, "x86_64", "repos")).Select(p => p.Location).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(result.Arches["x86_64"].Packages.Select(e => e.RelativePath).Order(StringComparer.Ordinal), x86);

        Interop.RequireTool("createrepo_c");
        foreach (var arch in new[] { "global", "s390x" })
        {
            var theirs = tmp.Sub("createrepo_c-" + arch);
            var list = arch == "global" ? PkgsetPaths.GlobalPackageList(work, "repos") : PkgsetPaths.ArchPackageList(work, arch, "repos");
            Interop.Run("createrepo_c", "-q", result.PathPrefix, "--baseurl=file://" + result.PathPrefix, "--outputdir=" + theirs,
                "--pkglist=" + list, "--no-database", "--checksum=sha256", "--unique-md-filenames");
            var ours = PkgsetPaths.Repo(work, arch, "repos");
            var a = RepodataReader.ReadRepomd(theirs);
            var b = RepodataReader.ReadRepomd(ours);
            foreach (var type in new[] { "primary", "filelists", "other" })
                Assert.Equal(RepodataTestSupport.ReadText(Path.Combine(theirs, a.Find(type)!.Location)),
                    RepodataTestSupport.ReadText(Path.Combine(ours, b.Find(type)!.Location)));
        }
    }

    /// <summary>An unchanged package set rewrites no repo (its package list is not rewritten); a changed one rewrites its own.</summary>
    [Fact]
    public void Unchanged_set_writes_no_repo_and_a_changed_list_rewrites_it()
    {
        using var tmp = new TempDir();
        var work = tmp.Sub("work");
        PkgsetRepos.Write(Build(work), work);
        var repomd = Path.Combine(PkgsetPaths.Repo(work, "s390x", "repos"), "repodata", "repomd.xml");
        var before = File.GetLastWriteTimeUtc(repomd);

        Assert.Empty(PkgsetRepos.Write(Build(work), work));
        Assert.Equal(before, File.GetLastWriteTimeUtc(repomd));

        // A package list newer than its repo (the set changed) brings that one repo back.
        File.SetLastWriteTimeUtc(PkgsetPaths.ArchPackageList(work, "s390x", "repos"), before.AddSeconds(5));
        Assert.Equal([PkgsetPaths.Repo(work, "s390x", "repos")], PkgsetRepos.Write(Build(work), work));
    }
}
