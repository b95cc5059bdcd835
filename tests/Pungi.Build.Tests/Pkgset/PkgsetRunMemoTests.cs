using Pungi.Build.Compose;
using Pungi.Build.Pkgset;
using Pungi.Build.Rpm;
using Xunit;
using static Pungi.Build.Tests.Pkgset.PkgsetTestSupport;

namespace Pungi.Build.Tests.Pkgset;

/// <summary>
/// The repos source's run memo (issue 11: a Pkgset rerun with unchanged RPMs, woken by a gather input, costs little):
/// what a remembered run leaves on disk is byte for byte what the full run leaves, and every change the full run
/// would see — an RPM added, removed or replaced (also with the same size and mtime), a symlinked RPM's target
/// replaced, another repository list, an output or the header cache touched — makes the full run happen.
/// </summary>
public class PkgsetRunMemoTests
{
    /// <summary>Counts the resolver's calls (the warm path must ask it once per arch, never twice).</summary>
    private sealed class CountingResolver(IPackageSetResolver inner) : IPackageSetResolver
    {
        public int Calls;
        public IEnumerable<RpmPackage> Resolve(string treeArch, IReadOnlyList<RpmPackage> candidates) => inner.Resolve(treeArch, candidates);

        public IReadOnlyList<int> Resolve(string treeArch, IReadOnlyList<PackageSummary> candidates, string poolIdentity, Func<IReadOnlyList<RpmPackage>> decode)
        {
            Calls++;
            return inner.Resolve(treeArch, candidates, poolIdentity, decode);
        }
    }

    private static PkgsetRequest Request(string work, IReadOnlyList<PackageRepositoryInput> repos, string[] wanted, bool listing, IPackageSetResolver? resolver = null) => new()
    {
        WorkDir = work,
        Arches = ["x86_64", "s390x"],
        Repositories = repos,
        MultilibArches = ["x86_64"],
        // As the build does: the listing WriteFileListing took of the repositories' RPMs just before.
        RepositoryListing = listing ? FileListing.Stamp(repos.Select(r => r.Path), ".rpm") : null,
        Resolver = resolver ?? new DepsolveResolver(_ => new PkgsetGatherInput { Packages = wanted }, work),
        WantedPackages = wanted,
        AllowInvalidSigkeys = true,
    };

    /// <summary>Every file under the work dir but the run memo itself, with its bytes.</summary>
    private static SortedDictionary<string, byte[]> Files(string work)
        => new(Directory.GetFiles(work, "*", SearchOption.AllDirectories)
            .Where(f => f != PkgsetPaths.RunMemo(work))
            .ToDictionary(f => Path.GetRelativePath(work, f), File.ReadAllBytes), StringComparer.Ordinal);

    private static void AssertSameFiles(string expectedWork, string actualWork)
    {
        var expected = Files(expectedWork);
        var actual = Files(actualWork);
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (f, bytes) in expected) Assert.True(bytes.AsSpan().SequenceEqual(actual[f]), $"{f} differs");
    }

    private static void AssertSameSets(PkgsetResult expected, PkgsetResult actual)
    {
        static IEnumerable<string> Describe(PackageSet s) => s.Packages.Select(e => $"{e.Path}|{e.RelativePath}|{e.InvalidSigkey}|{e.Summary.Nevra}|{e.Package.Checksum}");
        Assert.Equal(Describe(expected.Global), Describe(actual.Global));
        Assert.Equal(expected.Arches.Keys, actual.Arches.Keys);
        foreach (var a in expected.Arches.Keys) Assert.Equal(Describe(expected.Arches[a]), Describe(actual.Arches[a]));
        Assert.Equal(expected.Warnings, actual.Warnings);
        Assert.Equal(expected.InvalidSigkeyPackages, actual.InvalidSigkeyPackages);
    }

    /// <summary>
    /// The same sequence of runs in two work dirs, one given the listing (so its reruns may be remembered) and one not
    /// (always the full run): after each, both hold the same files and the runs return the same sets.
    /// </summary>
    private sealed class Twin : IDisposable
    {
        private readonly TempDir _tmp = new();
        public string Repo { get; }
        public string WithMemo => Path.Combine(_tmp.Path, "work-memo");
        public string Without => Path.Combine(_tmp.Path, "work-full");
        public List<PackageRepositoryInput> Repos { get; set; }

        public Twin()
        {
            Repo = CopyRepo(_tmp, "x86_64", "noarch", "src");
            Repos = [new PackageRepositoryInput(Repo)];
        }

        public TempDir Tmp => _tmp;

        public PkgsetResult Run(string[] wanted, bool expectRemembered)
        {
            var full = PackageSetBuilder.Build(Request(Without, Repos, wanted, listing: false));
            Assert.False(full.Remembered);
            var counting = new CountingResolver(new DepsolveResolver(_ => new PkgsetGatherInput { Packages = wanted }, WithMemo));
            var memo = PackageSetBuilder.Build(Request(WithMemo, Repos, wanted, listing: true, counting));
            Assert.Equal(expectRemembered, memo.Remembered);
            Assert.Equal(2, counting.Calls); // once per arch, even when the remembered run gives way to the full one
            AssertSameSets(full, memo);
            AssertSameFiles(Without, WithMemo);
            return memo;
        }

        public void Dispose() => _tmp.Dispose();
    }

    /// <summary>A whole-second mtime, which .NET sets exactly (it sets 100 ns ticks: an arbitrary mtime would come back changed).</summary>
    private static readonly DateTime Fixed = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The file replaced by a copy of itself with the same size and mtime, renamed over it: only the inode differs.</summary>
    private static void ReplaceKeepingSizeAndMtime(string path)
    {
        Assert.Equal(Fixed, File.GetLastWriteTimeUtc(path));
        File.Copy(path, path + ".new");
        File.SetLastWriteTimeUtc(path + ".new", Fixed);
        File.Move(path + ".new", path, overwrite: true);
    }

    private static readonly string[] Bash = ["dummy-bash"];
    private static readonly string[] BashAndHttpd = ["dummy-bash", "dummy-httpd"];

    [Fact]
    public void RememberedRunWritesWhatTheFullRunWrites()
    {
        using var t = new Twin();
        t.Run(Bash, expectRemembered: false); // the first run writes the memo
        Assert.True(File.Exists(PkgsetPaths.RunMemo(t.WithMemo)));
        var again = t.Run(Bash, expectRemembered: true);
        Assert.Equal(0, again.HeadersRead);
        Assert.Empty(again.WrittenFiles);
        // Gather's wanted list changed but names what the depsolve already pulls: still remembered (issue 11's rerun).
        t.Run(["dummy-bash", "dummy-bas?"], expectRemembered: true);
    }

    [Fact]
    public void AnotherDepsolveAnswerRunsTheRestInFull()
    {
        using var t = new Twin();
        t.Run(Bash, expectRemembered: false);
        var more = t.Run(BashAndHttpd, expectRemembered: false); // the resolver, asked once, kept more
        Assert.Contains(more.Arches["x86_64"].Packages, e => e.Summary.Name == "dummy-httpd");
        t.Run(BashAndHttpd, expectRemembered: true);
        t.Run(Bash, expectRemembered: false);
    }

    [Fact]
    public void AddedOrRemovedRpmIsSeen()
    {
        using var t = new Twin();
        t.Run(Bash, expectRemembered: false);
        string added = Path.Combine(t.Repo, "x86_64", "dummy-foo32-1-1.i686.rpm");
        File.Copy(Path.Combine(TestPaths.PungiDummyRpms, "i686", "dummy-foo32-1-1.i686.rpm"), added);
        File.SetLastWriteTimeUtc(added, new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc)); // an old mtime, as cp -p
        Assert.Equal(1, t.Run(Bash, expectRemembered: false).HeadersRead);
        t.Run(Bash, expectRemembered: true);
        File.Delete(added);
        Assert.Equal(0, t.Run(Bash, expectRemembered: false).HeadersRead);
        t.Run(Bash, expectRemembered: true);
    }

    [Fact]
    public void RpmReplacedWithSameSizeAndMtimeIsSeen()
    {
        using var t = new Twin();
        string replaced = Path.Combine(t.Repo, "x86_64", "dummy-bash-4.2.37-6.x86_64.rpm");
        File.SetLastWriteTimeUtc(replaced, Fixed);
        t.Run(Bash, expectRemembered: false);
        t.Run(Bash, expectRemembered: true);
        // Same size and mtime, new inode: the header cache reads it again, so the listing must differ.
        ReplaceKeepingSizeAndMtime(replaced);
        var r = t.Run(Bash, expectRemembered: false);
        Assert.Equal(1, r.HeadersRead);
        t.Run(Bash, expectRemembered: true);
    }

    [Fact]
    public void SymlinkedRpmWhoseTargetIsReplacedIsSeen()
    {
        using var t = new Twin();
        // The link is listed, its target (not an .rpm name) is not: only the memo's own check of links can see it.
        string store = t.Tmp.Sub(Path.Combine("repo", "store"));
        string target = Path.Combine(store, "httpd.bin");
        string link = Path.Combine(t.Repo, "x86_64", "dummy-httpd-2.2.21-1.x86_64.rpm");
        File.Move(link, target);
        File.CreateSymbolicLink(link, target);
        File.SetLastWriteTimeUtc(target, Fixed);
        t.Run(BashAndHttpd, expectRemembered: false);
        t.Run(BashAndHttpd, expectRemembered: true);
        ReplaceKeepingSizeAndMtime(target);
        var r = t.Run(BashAndHttpd, expectRemembered: false);
        Assert.Equal(1, r.HeadersRead);
        t.Run(BashAndHttpd, expectRemembered: true);
    }

    [Fact]
    public void ChangedRepositoryListIsSeen()
    {
        using var t = new Twin();
        t.Run(Bash, expectRemembered: false);
        t.Repos = [new PackageRepositoryInput(t.Repo, "x86_64")];
        t.Run(Bash, expectRemembered: false);
        t.Run(Bash, expectRemembered: true);
        string extra = t.Tmp.Sub("extra");
        File.Copy(Path.Combine(TestPaths.PungiDummyRpms, "i686", "dummy-foo32-1-1.i686.rpm"), Path.Combine(extra, "dummy-foo32-1-1.i686.rpm"));
        t.Repos = [new PackageRepositoryInput(t.Repo), new PackageRepositoryInput(extra)];
        Assert.Equal(1, t.Run(Bash, expectRemembered: false).HeadersRead);
        t.Run(Bash, expectRemembered: true);
    }

    [Fact]
    public void TouchedOutputsOrHeaderCacheAreWrittenAgain()
    {
        using var t = new Twin();
        t.Run(Bash, expectRemembered: false);
        File.AppendAllText(PkgsetPaths.ArchPackageList(t.WithMemo, "s390x", "repos"), "stray\n");
        File.AppendAllText(PkgsetPaths.ArchPackageList(t.Without, "s390x", "repos"), "stray\n");
        var r = t.Run(Bash, expectRemembered: false);
        Assert.Contains(PkgsetPaths.ArchPackageList(t.WithMemo, "s390x", "repos"), r.WrittenFiles);
        t.Run(Bash, expectRemembered: true);

        File.Delete(PkgsetPaths.Store(t.WithMemo, "x86_64", "repos"));
        File.Delete(PkgsetPaths.Store(t.Without, "x86_64", "repos"));
        t.Run(Bash, expectRemembered: false);

        File.Delete(PkgsetPaths.HeaderCache(t.WithMemo));
        File.Delete(PkgsetPaths.HeaderCache(t.Without));
        Assert.Equal(111, t.Run(Bash, expectRemembered: false).HeadersRead);
        t.Run(Bash, expectRemembered: true);
    }

    [Fact]
    public void RememberedRunChecksSigkeysAgainstTheWantedPackages()
    {
        // Unsigned packages with a sigkey required: tolerated (deps gather) unless wanted, which the memo cannot know.
        using var tmp = new TempDir();
        string repo = CopyRepo(tmp, "noarch");
        string work = Path.Combine(tmp.Path, "work");
        PkgsetRequest Req(string[] wanted) => new()
        {
            WorkDir = work, Arches = ["x86_64"], Repositories = [new PackageRepositoryInput(repo)],
            RepositoryListing = FileListing.Stamp([repo], ".rpm"), Sigkeys = ["deadbeef"], AllowInvalidSigkeys = true, WantedPackages = wanted,
        };
        var first = PackageSetBuilder.Build(Req([]));
        Assert.NotEmpty(first.InvalidSigkeyPackages);
        var again = PackageSetBuilder.Build(Req([]));
        Assert.True(again.Remembered);
        Assert.Equal(first.Warnings, again.Warnings);
        var e = Assert.Throws<Diagnostics.PungiException>(() => PackageSetBuilder.Build(Req(["dummy-basesystem"])));
        Assert.Equal(Diagnostics.ErrorCodes.PkgsetInvalidSigkeyWanted, e.Code);
    }

    [Fact]
    public void ListingPinsSizeMtimeAndInode()
    {
        using var tmp = new TempDir();
        string repo = CopyRepo(tmp, "noarch");
        string replaced = Path.Combine(repo, "noarch", "dummy-kernel-doc-3.1.0-1.noarch.rpm");
        File.SetLastWriteTimeUtc(replaced, Fixed);
        var before = FileListing.Stamp([repo], ".rpm");
        Assert.Equal(OperatingSystem.IsLinux(), FileListing.PinsIdentity(before));
        ReplaceKeepingSizeAndMtime(replaced);
        if (OperatingSystem.IsLinux()) Assert.NotEqual(before, FileListing.Stamp([repo], ".rpm"));
        var same = FileListing.Stamp([repo], ".rpm");
        Assert.Equal(same, FileListing.Stamp([repo], ".rpm"));
        File.WriteAllText(Path.Combine(repo, "noarch", "notes.txt"), "not an rpm");
        Assert.Equal(same, FileListing.Stamp([repo], ".rpm"));
    }
}
