using Pungi.Build.Pkgset;
using Xunit;
using static Pungi.Build.Tests.Pkgset.PkgsetTestSupport;

namespace Pungi.Build.Tests.Pkgset;

/// <summary>
/// The header cache (issue 4: a rerun reads only new or changed RPMs, keyed by path, size, mtime, inode) and the
/// write-only-when-changed outputs that keep Gather skipped when the package set did not change.
/// </summary>
public class HeaderCacheTests
{
    private static PkgsetRequest Request(string work, string repo) => new()
    {
        WorkDir = work,
        Arches = ["x86_64", "s390x"],
        Repositories = [new PackageRepositoryInput(repo)],
        MultilibArches = ["x86_64"],
    };

    private static Dictionary<string, DateTime> Stamps(string dir)
        => Directory.GetFiles(dir, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.GetLastWriteTimeUtc);

    [Fact]
    public void RerunReadsOnlyNewOrChangedHeaders()
    {
        using var tmp = new TempDir();
        string repo = CopyRepo(tmp, "x86_64", "noarch", "src");
        string work = Path.Combine(tmp.Path, "work");
        int n = Directory.GetFiles(repo, "*.rpm", SearchOption.AllDirectories).Length; // 62 + 15 + 34

        var first = PackageSetBuilder.Build(Request(work, repo));
        Assert.Equal(n, first.HeadersRead);
        Assert.Equal(0, first.HeadersFromCache);
        Assert.True(File.Exists(PkgsetPaths.HeaderCache(work)));

        // Nothing changed: no header read, no file rewritten (mtimes equal), same sets.
        var before = Stamps(work);
        Thread.Sleep(20);
        var second = PackageSetBuilder.Build(Request(work, repo));
        Assert.Equal(0, second.HeadersRead);
        Assert.Equal(n, second.HeadersFromCache);
        Assert.Empty(second.WrittenFiles);
        Assert.Equal(before, Stamps(work));
        Assert.Equal(first.Arches["x86_64"].Packages.Select(e => e.Path), second.Arches["x86_64"].Packages.Select(e => e.Path));

        // One RPM added: exactly one header read; x86_64's files change (foo32.i686 is multilib there), s390x's do not.
        Directory.CreateDirectory(Path.Combine(repo, "i686"));
        File.Copy(Path.Combine(TestPaths.PungiDummyRpms, "i686", "dummy-foo32-1-1.i686.rpm"), Path.Combine(repo, "i686", "dummy-foo32-1-1.i686.rpm"));
        var third = PackageSetBuilder.Build(Request(work, repo));
        Assert.Equal(1, third.HeadersRead);
        Assert.Equal(n, third.HeadersFromCache);
        Assert.Contains("dummy-foo32-1-1.i686", Nevras(third.Arches["x86_64"]));
        Assert.Contains(PkgsetPaths.ArchPackageList(work, "x86_64", "repos"), third.WrittenFiles);
        Assert.Contains(PkgsetPaths.Store(work, "x86_64", "repos"), third.WrittenFiles);
        Assert.Contains(PkgsetPaths.ArchPackageList(work, "s390x", "repos"), third.UnchangedFiles);
        Assert.Contains(PkgsetPaths.Store(work, "s390x", "repos"), third.UnchangedFiles);
    }

    [Fact] // createrepo_c is run without --skip-stat upstream so re-signed files are noticed: mtime or inode changes re-read
    public void ChangedMtimeOrInodeRereads()
    {
        using var tmp = new TempDir();
        string repo = CopyRepo(tmp, "noarch");
        string work = Path.Combine(tmp.Path, "work");
        PackageSetBuilder.Build(Request(work, repo));

        string touched = Path.Combine(repo, "noarch", "dummy-basesystem-10.0-6.noarch.rpm");
        File.SetLastWriteTimeUtc(touched, File.GetLastWriteTimeUtc(touched).AddSeconds(-5));
        Assert.Equal(1, PackageSetBuilder.Build(Request(work, repo)).HeadersRead);

        // Same size and mtime, new inode (replaced by rename): read again.
        string replaced = Path.Combine(repo, "noarch", "dummy-kernel-doc-3.1.0-1.noarch.rpm");
        var mtime = File.GetLastWriteTimeUtc(replaced);
        string temp = replaced + ".new";
        File.Copy(replaced, temp);
        File.SetLastWriteTimeUtc(temp, mtime);
        File.Move(temp, replaced, overwrite: true);
        Assert.Equal(1, PackageSetBuilder.Build(Request(work, repo)).HeadersRead);
        Assert.Equal(0, PackageSetBuilder.Build(Request(work, repo)).HeadersRead);
    }

    [Fact] // a damaged cache is discarded with a warning, never trusted
    public void CorruptCacheIsRebuilt()
    {
        using var tmp = new TempDir();
        string repo = CopyRepo(tmp, "noarch");
        string work = Path.Combine(tmp.Path, "work");
        var first = PackageSetBuilder.Build(Request(work, repo));
        File.WriteAllBytes(PkgsetPaths.HeaderCache(work), [1, 2, 3]);
        var again = PackageSetBuilder.Build(Request(work, repo));
        Assert.Equal(first.HeadersRead, again.HeadersRead);
        Assert.Contains(again.Warnings, w => w.Code == Diagnostics.ErrorCodes.PkgsetHeaderCacheDiscarded);
        Assert.Equal(0, PackageSetBuilder.Build(Request(work, repo)).HeadersRead);
    }
}
