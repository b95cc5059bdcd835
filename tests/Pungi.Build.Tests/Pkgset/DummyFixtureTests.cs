using Pungi.Build.Diagnostics;
using Pungi.Build.Pkgset;
using Xunit;
using static Pungi.Build.Tests.Pkgset.PkgsetTestSupport;

namespace Pungi.Build.Tests.Pkgset;

/// <summary>
/// The per-arch sets of the 432 pungi-dummy RPMs as upstream's dummy config builds them (pkgset_repos {"*": rpms},
/// sigkeys [None], multilib configured on every arch). Expected counts are worked out by hand from the directory
/// listing and <c>rpm -qp --qf '%{SOURCERPM} %{EXCLUDEARCH} %{EXCLUSIVEARCH}'</c>:
/// <list type="bullet">
/// <item>dummy-bash, dummy-bash-debuginfo and dummy-bash-doc exist as 4.2.37-5 and -6 on every arch: only -6 stays
/// (latest per name.arch), and dummy-bash-4.2.37-5.src has no binary left.</item>
/// <item>x86_64: 62 x86_64 − 2 old = 60; multilib i686 69 − 2 = 67 (dummy-foo32 among them); i586 dummy-skype;
/// i486 dummy-AdobeReader_enu; noarch 15 − 1 old − dummy-foo32-doc (SRPM ExclusiveArch i686 ppc s390 misses
/// x86_64/noarch) = 13; sources 34 − 1 old = 33, all with a binary here. Total 175.</item>
/// <item>i386 (no multilib arches): 67 i686 + i586 + i486 + 14 noarch (foo32-doc kept: i686 is native) + 33 = 116.</item>
/// <item>ppc64: 60 − 2 = 58 ppc64; multilib ppc 61 − 2 = 59; noarch 13 (foo32-doc out; dummy-fcoe-target-utils'
/// ExcludeArch ppc s390 s390x does not hit ppc64p7/ppc64/noarch, ppc being multilib only); sources 33 − the
/// AdobeReader nosrc (i486 binary only) = 32. Total 162.</item>
/// <item>s390x: 64 − 2 = 62 s390x; multilib s390 65 − 2 = 63; noarch 12 (foo32-doc and fcoe out: ExcludeArch s390x);
/// sources 33 − AdobeReader − fcoe (its only binary is gone) = 31. Total 168.</item>
/// </list>
/// </summary>
public class DummyFixtureTests
{
    private static readonly string[] Arches = ["x86_64", "i386", "ppc64", "s390x"];

    private static PkgsetRequest Request(string work, params PackageRepositoryInput[] repos) => new()
    {
        WorkDir = work,
        Arches = Arches,
        Repositories = repos,
        MultilibArches = Arches,
    };

    private static void AssertCommonSets(PkgsetResult r)
    {
        var i = CountByArch(r.Arches["i386"]);
        Assert.Equal(new Dictionary<string, int> { ["i686"] = 67, ["i586"] = 1, ["i486"] = 1, ["noarch"] = 14, ["src"] = 32, ["nosrc"] = 1 }, i);
        var x86 = Nevras(r.Arches["x86_64"]);
        Assert.Contains("dummy-foo32-1-1.i686", x86);          // only through the multilib arches
        Assert.Contains("dummy-foo32-1-1.src", x86);
        Assert.Contains("dummy-foo32-doc-1-1.noarch", Nevras(r.Arches["i386"]));
        Assert.Contains("dummy-bash-4.2.37-6.x86_64", x86);
        Assert.DoesNotContain("dummy-bash-4.2.37-5.x86_64", x86);
        Assert.DoesNotContain("dummy-bash-4.2.37-5.src", Nevras(r.Global));
        Assert.Contains("dummy-fcoe-target-utils-2.0-5.noarch", Nevras(r.Arches["ppc64"]));
        Assert.Contains("dummy-foo32-1-1.s390", Nevras(r.Arches["s390x"]));
        Assert.Contains("dummy-foo32-1-1.ppc", Nevras(r.Arches["ppc64"]));
        Assert.DoesNotContain("dummy-AdobeReader_enu-9.5.1-1.nosrc", Nevras(r.Arches["ppc64"]));
    }

    private static void AssertDummySets(PkgsetResult r)
    {
        AssertCommonSets(r);
        var x = CountByArch(r.Arches["x86_64"]);
        Assert.Equal(new Dictionary<string, int> { ["x86_64"] = 60, ["i686"] = 67, ["i586"] = 1, ["i486"] = 1, ["noarch"] = 13, ["src"] = 32, ["nosrc"] = 1 }, x);
        var p = CountByArch(r.Arches["ppc64"]);
        Assert.Equal(new Dictionary<string, int> { ["ppc64"] = 58, ["ppc"] = 59, ["noarch"] = 13, ["src"] = 32 }, p);
        var s = CountByArch(r.Arches["s390x"]);
        Assert.Equal(new Dictionary<string, int> { ["s390x"] = 62, ["s390"] = 63, ["noarch"] = 12, ["src"] = 31 }, s);

        Assert.DoesNotContain("dummy-foo32-doc-1-1.noarch", Nevras(r.Arches["x86_64"]));
        Assert.DoesNotContain("dummy-fcoe-target-utils-2.0-5.noarch", Nevras(r.Arches["s390x"]));
        Assert.DoesNotContain("dummy-fcoe-target-utils-2.0-5.src", Nevras(r.Arches["s390x"]));
    }

    [Fact] // spec §2.2.1 steps 7/9 and §2.2.2 over the real fixture RPMs
    public void PerArchSetsFromRpmFiles()
    {
        using var tmp = new TempDir();
        var r = PackageSetBuilder.Build(Request(tmp.Path, new PackageRepositoryInput(TestPaths.PungiDummyRpms)));
        Assert.Equal(432, r.HeadersRead);
        AssertDummySets(r);
        // global: 432 files − 4 old bash NEVRAs per binary arch... counted: every file except the -5 builds (2 per
        // binary arch × 6 arches + bash-doc-5 + bash-5.src = 14), and nothing of the arches no tree takes (none here).
        Assert.Equal(432 - 14, r.Global.Packages.Count);
        Assert.Equal(TestPaths.PungiDummyRpms + "/", r.PathPrefix);
        var list = File.ReadAllLines(PkgsetPaths.ArchPackageList(tmp.Path, "s390x", "repos"));
        Assert.Equal(168, list.Length);
        Assert.Contains("s390/dummy-foo32-1-1.s390.rpm", list);
        Assert.All(list, l => Assert.True(File.Exists(Path.Combine(r.PathPrefix, l)), l));
        // The stored packages carry everything repodata needs (checksum, files, header range) without reopening the RPM.
        var bash = PackageSetStore.Load(tmp.Path, "x86_64").Packages.Single(e => e.Summary.Nevra == "dummy-bash-4.2.37-6.x86_64").Package;
        Assert.Equal(64, bash.Checksum!.Length);
        Assert.Equal("x86_64/dummy-bash-4.2.37-6.x86_64.rpm", bash.Location);
        Assert.Contains(bash.Requires, d => d.Name == "dummy-glibc(x86-64)"); // rpm -qp --requires
        Assert.True(bash.HeaderEnd > bash.HeaderStart);
    }

    [Fact] // a repository with repodata and no RPM files is read from repodata (location href) and gives the same sets
    public void PerArchSetsFromRepodataOnly()
    {
        using var tmp = new TempDir();
        string repo = Path.Combine(TestPaths.Fixtures, "pungi-dummy", "repos", "repo");
        var r = PackageSetBuilder.Build(Request(tmp.Path, new PackageRepositoryInput(repo)));
        Assert.Equal(0, r.HeadersRead);
        AssertCommonSets(r);
        // Repodata carries no ExcludeArch/ExclusiveArch, so the SRPM rule cannot drop noarch packages here (upstream
        // always has the headers: its repos source downloads the RPMs). foo32-doc and fcoe stay on every tree.
        Assert.Equal(14, CountByArch(r.Arches["x86_64"])["noarch"]);
        Assert.Equal(14, CountByArch(r.Arches["s390x"])["noarch"]);
        Assert.Equal(32, CountByArch(r.Arches["s390x"])["src"]);
        Assert.Contains("x86_64/dummy-bash-4.2.37-6.x86_64.rpm", File.ReadAllLines(PkgsetPaths.ArchPackageList(tmp.Path, "x86_64", "repos")));
    }

    [Fact] // pkgset_repos: a repository path that does not exist is an error naming it
    public void MissingRepository()
    {
        using var tmp = new TempDir();
        string missing = Path.Combine(tmp.Path, "no-such-repo");
        var ex = Assert.Throws<PungiException>(() => PackageSetBuilder.Build(Request(tmp.Path, new PackageRepositoryInput(missing))));
        Assert.Equal(ErrorCodes.PkgsetRepositoryMissing, ex.Code);
        Assert.Equal(missing, ex.File);
    }

    [Fact] // a corrupt RPM is an error naming the file; an empty repository only warns
    public void CorruptRpmAndEmptyRepository()
    {
        using var tmp = new TempDir();
        string repo = tmp.Sub("repo");
        File.Copy(Path.Combine(TestPaths.PungiDummyRpms, "noarch", "dummy-basesystem-10.0-6.noarch.rpm"), Path.Combine(repo, "good.rpm"));
        string bad = Path.Combine(repo, "sub", "broken-1-1.noarch.rpm");
        Directory.CreateDirectory(Path.GetDirectoryName(bad)!);
        File.WriteAllBytes(bad, [0xed, 0xab, 0xee, 0xdb, 3, 0, 0, 0, 1, 2, 3]);
        var ex = Assert.Throws<PungiException>(() => PackageSetBuilder.Build(Request(tmp.Path, new PackageRepositoryInput(repo))));
        Assert.Equal(ErrorCodes.PkgsetUnreadableRpm, ex.Code);
        Assert.Equal(bad, ex.File);
        Assert.Contains("PUNGI200", ex.Message); // the RPM reader's own code says what is wrong

        File.Delete(bad);
        string empty = tmp.Sub("empty");
        var r = PackageSetBuilder.Build(Request(Path.Combine(tmp.Path, "work"), new PackageRepositoryInput(repo), new PackageRepositoryInput(empty)));
        Assert.Contains(r.Warnings, w => w.Code == ErrorCodes.PkgsetEmptyRepository && w.File == empty);
        // dummy-basesystem.noarch without its SRPM: kept everywhere, with a warning (upstream "Can't find a SRPM")
        Assert.Contains(r.Warnings, w => w.Code == ErrorCodes.PkgsetMissingSrpm);
        Assert.All(Arches, a => Assert.Single(r.Arches[a].Packages));
    }
}
