using Pungi.Build.Diagnostics;
using Pungi.Build.Pkgset;
using Pungi.Build.Rpm;
using Xunit;
using static Pungi.Build.Tests.Pkgset.FakeSource;
using static Pungi.Build.Tests.Pkgset.PkgsetTestSupport;

namespace Pungi.Build.Tests.Pkgset;

/// <summary>Each upstream package-set rule on hand-made packages (spec §2.2.1 steps 5–9, §2.2.2).</summary>
public class PackageSetRulesTests
{
    private static PkgsetResult Build(TempDir tmp, FakeSource source, string[] arches, Action<PkgsetRequestBuilder>? tune = null)
    {
        var b = new PkgsetRequestBuilder { WorkDir = tmp.Path, Arches = arches, Source = source };
        tune?.Invoke(b);
        return PackageSetBuilder.Build(b.ToRequest());
    }

    internal sealed class PkgsetRequestBuilder
    {
        public required string WorkDir;
        public required string[] Arches;
        public required IPackageSetSource Source;
        public string?[] Sigkeys = [null];
        public bool AllowInvalid;
        public string[] Wanted = [];
        public string[] Multilib = [];
        public bool ConsidersNoarch = true;
        public IPackageSetResolver? Resolver;
        public PkgsetRequest ToRequest() => new()
        {
            WorkDir = WorkDir, Arches = Arches, Source = Source, Sigkeys = Sigkeys, AllowInvalidSigkeys = AllowInvalid,
            WantedPackages = Wanted, MultilibArches = Multilib, ExclusiveArchConsidersNoarch = ConsidersNoarch, Resolver = Resolver,
        };
    }

    [Fact] // pkgsets.py merge(): multilib arches enter a tree's subset only when multilib is configured on that arch
    public void MultilibArchesOnlyWhenMultilibConfigured()
    {
        using var tmp = new TempDir();
        var src = new FakeSource(Pkg("foo-1-1.x86_64"), Pkg("foo-1-1.i686"), Pkg("foo-1-1.src"));
        var without = Build(tmp, src, ["x86_64"]);
        Assert.Equal(["foo-1-1.src", "foo-1-1.x86_64"], Nevras(without.Arches["x86_64"]).Order());
        var with = Build(tmp, src, ["x86_64"], b => b.Multilib = ["x86_64"]);
        Assert.Equal(["foo-1-1.i686", "foo-1-1.src", "foo-1-1.x86_64"], Nevras(with.Arches["x86_64"]).Order());
    }

    [Fact] // arch.py get_valid_arches: ppc64 → ppc64p7/ppc64 + multilib ppc; s390x → s390; aarch64 has no multilib arch
    public void ArchTablesPerTree()
    {
        using var tmp = new TempDir();
        var src = new FakeSource(Pkg("a-1-1.ppc64"), Pkg("a-1-1.ppc"), Pkg("a-1-1.s390x"), Pkg("a-1-1.s390"),
            Pkg("a-1-1.aarch64"), Pkg("a-1-1.armv7hl"), Pkg("a-1-1.i586"), Pkg("a-1-1.x86_64"), Pkg("a-1-1.src"));
        var r = Build(tmp, src, ["ppc64", "s390x", "aarch64", "i386"], b => b.Multilib = ["ppc64", "s390x", "aarch64", "i386"]);
        Assert.Equal(["a-1-1.ppc", "a-1-1.ppc64", "a-1-1.src"], Nevras(r.Arches["ppc64"]).Order());
        Assert.Equal(["a-1-1.s390", "a-1-1.s390x", "a-1-1.src"], Nevras(r.Arches["s390x"]).Order());
        Assert.Equal(["a-1-1.aarch64", "a-1-1.src"], Nevras(r.Arches["aarch64"]).Order());
        Assert.Equal(["a-1-1.i586", "a-1-1.src"], Nevras(r.Arches["i386"]).Order());
        // x86_64 is not a compose arch here: the repos pull never asked for it, so it is not in the global set.
        Assert.DoesNotContain("a-1-1.x86_64", Nevras(r.Global));
    }

    [Fact] // ReaderThread: noarch inherits ExcludeArch/ExclusiveArch from its SRPM; is_excluded vs native arches + noarch
    public void NoarchFilteredThroughSrpmArchLists()
    {
        using var tmp = new TempDir();
        var src = new FakeSource(
            Pkg("ex-1-1.src", excludeArch: ["s390x", "ppc"]), Pkg("ex-doc-1-1.noarch", sourceRpm: "ex-1-1.src.rpm"),
            Pkg("only-1-1.src", exclusiveArch: ["i686", "ppc"]), Pkg("only-doc-1-1.noarch", sourceRpm: "only-1-1.src.rpm"),
            Pkg("only-1-1.i686", sourceRpm: "only-1-1.src.rpm"));
        var r = Build(tmp, src, ["x86_64", "s390x", "ppc64", "i386"], b => b.Multilib = ["x86_64"]);
        // ExcludeArch s390x hits the s390x tree; ppc is only a multilib arch of ppc64, which does not count.
        Assert.DoesNotContain("ex-doc-1-1.noarch", Nevras(r.Arches["s390x"]));
        Assert.Contains("ex-doc-1-1.noarch", Nevras(r.Arches["ppc64"]));
        Assert.Contains("ex-doc-1-1.noarch", Nevras(r.Arches["x86_64"]));
        // ExclusiveArch i686: native for i386, only multilib for x86_64 → the noarch doc stays out of x86_64.
        Assert.Contains("only-doc-1-1.noarch", Nevras(r.Arches["i386"]));
        Assert.DoesNotContain("only-doc-1-1.noarch", Nevras(r.Arches["x86_64"]));
        Assert.Contains("only-1-1.i686", Nevras(r.Arches["x86_64"]));
        // the noarch's own header has no lists: without the SRPM rule it would be everywhere.
        Assert.Empty(r.Global.Packages.Single(e => e.Summary.Name == "only-doc").Summary.ExclusiveArch);
    }

    [Fact] // pkgset_exclusive_arch_considers_noarch=False removes noarch from the native list
    public void ExclusiveArchNoarchOption()
    {
        using var tmp = new TempDir();
        var src = new FakeSource(Pkg("n-1-1.src", exclusiveArch: ["noarch"]), Pkg("n-1-1.noarch", sourceRpm: "n-1-1.src.rpm"));
        Assert.Contains("n-1-1.noarch", Nevras(Build(tmp, src, ["x86_64"]).Arches["x86_64"]));
        Assert.DoesNotContain("n-1-1.noarch", Nevras(Build(tmp, src, ["x86_64"], b => b.ConsidersNoarch = false).Arches["x86_64"]));
    }

    [Fact] // merge(): SRPMs (src and nosrc) kept only when a binary from an SRPM of that name was kept
    public void SrpmsOnlyWithASurvivingBinary()
    {
        using var tmp = new TempDir();
        var src = new FakeSource(Pkg("p-1-1.ppc64"), Pkg("p-1-1.src"), Pkg("q-1-1.i486", sourceRpm: "q-1-1.nosrc.rpm"), Pkg("q-1-1.nosrc"));
        var r = Build(tmp, src, ["ppc64", "x86_64"], b => b.Multilib = ["x86_64"]);
        Assert.Equal(["p-1-1.ppc64", "p-1-1.src"], Nevras(r.Arches["ppc64"]).Order());
        Assert.Equal(["q-1-1.i486", "q-1-1.nosrc"], Nevras(r.Arches["x86_64"]).Order());
    }

    [Fact] // latest per name.arch by rpmvercmp (Koji latest=True; the depsolver's latest()): epoch beats version, 1.10 > 1.9
    public void LatestPerNameArch()
    {
        using var tmp = new TempDir();
        var src = new FakeSource(Pkg("v-1.9-1.x86_64"), Pkg("v-1.10-1.x86_64"), Pkg("v-1.9-1.i686"),
            Pkg("e-2.0-1.x86_64"), Pkg("e-1.0-1.x86_64", epoch: "1"), Pkg("v-1.10-1.src"), Pkg("v-1.9-1.src"), Pkg("e-2.0-1.src"), Pkg("e-1.0-1.src", epoch: "1"));
        var r = Build(tmp, src, ["x86_64"], b => b.Multilib = ["x86_64"]);
        var set = Nevras(r.Arches["x86_64"]);
        Assert.Contains("v-1.10-1.x86_64", set);
        Assert.DoesNotContain("v-1.9-1.x86_64", set);
        Assert.Contains("v-1.9-1.i686", set); // latest is per name.arch, not per name
        Assert.Contains("e-1:1.0-1.x86_64", set);
        Assert.DoesNotContain("e-2.0-1.x86_64", set);
        // v-1.9-1.src stays out of the global set: no binary of the set was built from it
        Assert.DoesNotContain("v-1.9-1.src", Nevras(r.Global));
    }

    [Fact] // sigkeys priority: among copies of the latest NEVRA the first key in sigkeys wins, whatever the read order
    public void SigkeyPriorityChoosesCopy()
    {
        using var tmp = new TempDir();
        var src = new FakeSource(Pkg("s-1-1.x86_64", key: "bbbbbbbb", repo: "r1"), Pkg("s-1-1.x86_64", key: "aaaaaaaa", repo: "r2"), Pkg("s-1-1.src", key: "aaaaaaaa"));
        var r = Build(tmp, src, ["x86_64"], b => b.Sigkeys = ["AAAAAAAA", "bbbbbbbb"]);
        var e = r.Arches["x86_64"].Packages.Single(p => p.Summary.Arch == "x86_64");
        Assert.Equal("/virtual/r2/s-1-1.x86_64.rpm", e.Path);
        Assert.Equal("aaaaaaaa", e.Summary.SigKey);
        r = Build(tmp, src, ["x86_64"], b => b.Sigkeys = ["bbbbbbbb", "aaaaaaaa"]);
        Assert.Equal("/virtual/r1/s-1-1.x86_64.rpm", r.Arches["x86_64"].Packages.Single(p => p.Summary.Arch == "x86_64").Path);
    }

    [Fact] // a signed latest build is never replaced by an older one: latest first, then the sigkey check (Koji order)
    public void UnsignedLatestIsAnErrorNotAFallbackToOlder()
    {
        using var tmp = new TempDir();
        var src = new FakeSource(Pkg("s-1-1.x86_64", key: "aaaaaaaa"), Pkg("s-2-1.x86_64"), Pkg("s-2-1.src", key: "aaaaaaaa"));
        var ex = Assert.Throws<PungiException>(() => Build(tmp, src, ["x86_64"], b => b.Sigkeys = ["aaaaaaaa"]));
        Assert.Equal(ErrorCodes.PkgsetUnsignedPackages, ex.Code);
        Assert.Contains("s-2-1.x86_64", ex.Message);
        Assert.Contains("unsigned", ex.Message);
        Assert.Contains("aaaaaaaa", ex.Message); // the keys asked for
    }

    [Fact] // sigkeys = [None] (the default) accepts anything; a None entry after keys is the unsigned fallback
    public void NoneEntryAllowsUnsigned()
    {
        using var tmp = new TempDir();
        var src = new FakeSource(Pkg("u-1-1.x86_64"), Pkg("w-1-1.x86_64", key: "cccccccc"), Pkg("u-1-1.src"), Pkg("w-1-1.src"));
        Assert.Equal(4, Build(tmp, src, ["x86_64"]).Global.Packages.Count);
        Assert.Equal(4, Build(tmp, src, ["x86_64"], b => b.Sigkeys = ["aaaaaaaa", null]).Global.Packages.Count);
        Assert.Equal(4, Build(tmp, src, ["x86_64"], b => b.Sigkeys = ["aaaaaaaa", "none"]).Global.Packages.Count);
        var ex = Assert.Throws<PungiException>(() => Build(tmp, src, ["x86_64"], b => b.Sigkeys = ["aaaaaaaa"]));
        Assert.Contains("key cccccccc", ex.Message); // the message lists the keys found
        Assert.Contains("u-1-1.x86_64", ex.Message);
    }

    [Fact] // allow_invalid_sigkeys (gather_method deps): tolerated at pkgset time, error only when the package is wanted
    public void InvalidSigkeysToleratedUnlessWanted()
    {
        using var tmp = new TempDir();
        var src = new FakeSource(Pkg("ok-1-1.x86_64", key: "aaaaaaaa"), Pkg("bad-1-1.x86_64", key: "dddddddd"), Pkg("ok-1-1.src", key: "aaaaaaaa"), Pkg("bad-1-1.src", key: "aaaaaaaa"));
        var r = Build(tmp, src, ["x86_64"], b => { b.Sigkeys = ["aaaaaaaa"]; b.AllowInvalid = true; b.Wanted = ["ok"]; });
        Assert.Equal(["bad-1-1.x86_64"], r.InvalidSigkeyPackages);
        Assert.True(r.Arches["x86_64"].Packages.Single(e => e.Summary.Name == "bad" && !e.Summary.IsSource).InvalidSigkey);
        Assert.Contains(r.Warnings, w => w.Code == ErrorCodes.PkgsetUnsignedPackages && w.Message.Contains("bad-1-1.x86_64"));
        var ex = Assert.Throws<PungiException>(() => Build(tmp, src, ["x86_64"], b => { b.Sigkeys = ["aaaaaaaa"]; b.AllowInvalid = true; b.Wanted = ["ok", "bad"]; }));
        Assert.Equal(ErrorCodes.PkgsetInvalidSigkeyWanted, ex.Code);
        Assert.Contains("key dddddddd", ex.Message);
    }

    [Fact] // pkgset_repos[arch] repositories are seen only by that arch's pull; '*' by all
    public void ArchRestrictedRepositories()
    {
        using var tmp = new TempDir();
        var src = new FakeSource(Pkg("x-1-1.x86_64", forArches: ["x86_64"]), Pkg("x-1-1.src", forArches: ["x86_64"]),
            Pkg("z-1-1.s390x", forArches: ["x86_64"]), Pkg("z-1-1.src", forArches: ["x86_64"]), Pkg("y-1-1.s390x"), Pkg("y-1-1.src"));
        var r = Build(tmp, src, ["x86_64", "s390x"]);
        Assert.Equal(["x-1-1.src", "x-1-1.x86_64"], Nevras(r.Arches["x86_64"]).Order());
        // z.s390x sits in an x86_64-only repository: the s390x pull never sees it
        Assert.Equal(["y-1-1.s390x", "y-1-1.src"], Nevras(r.Arches["s390x"]).Order());
    }

    private sealed class OnlyNames(params string[] names) : IPackageSetResolver
    {
        public List<string> Arches { get; } = [];
        public IEnumerable<RpmPackage> Resolve(string treeArch, IReadOnlyList<RpmPackage> candidates)
        {
            Arches.Add(treeArch);
            return candidates.Where(c => names.Contains(c.Name) || c.IsSource);
        }
    }

    [Fact] // spec §2.2.2: the repos source's depsolver pull is a pluggable step, called once per arch on that arch's candidates
    public void ResolverDecidesThePull()
    {
        using var tmp = new TempDir();
        var src = new FakeSource(Pkg("a-1-1.x86_64"), Pkg("b-1-1.x86_64"), Pkg("a-1-1.src"), Pkg("b-1-1.src"), Pkg("c-1-1.noarch", sourceRpm: "a-1-1.src.rpm"));
        var resolver = new OnlyNames("a");
        var r = Build(tmp, src, ["x86_64", "aarch64"], b => b.Resolver = resolver);
        Assert.Equal(["x86_64", "aarch64"], resolver.Arches);
        Assert.Equal(["a-1-1.src", "a-1-1.x86_64"], Nevras(r.Global).Order()); // b.src dropped: no binary of it was pulled
    }

    [Fact] // save_file_list: the lists are sorted by arch, then read order, with paths relative to the path prefix
    public void PackageListsAndStoreFiles()
    {
        using var tmp = new TempDir();
        var src = new FakeSource(Pkg("b-1-1.x86_64"), Pkg("a-1-1.x86_64"), Pkg("a-1-1.i686"), Pkg("a-1-1.src"), Pkg("b-1-1.src"));
        var r = Build(tmp, src, ["x86_64"], b => b.Multilib = ["x86_64"]);
        var list = File.ReadAllText(Path.Combine(tmp.Path, "x86_64", "package_list", "x86_64.repos.conf"));
        Assert.Equal("r1/a-1-1.i686.rpm\nr1/a-1-1.src.rpm\nr1/b-1-1.src.rpm\nr1/b-1-1.x86_64.rpm\nr1/a-1-1.x86_64.rpm\n", list);
        Assert.True(File.Exists(Path.Combine(tmp.Path, "global", "package_list", "global.repos.conf")));
        var loaded = PackageSetStore.Load(tmp.Path, "x86_64");
        Assert.Equal(r.Arches["x86_64"].Packages.Select(e => e.Path), loaded.Packages.Select(e => e.Path));
        Assert.Equal("/virtual/", loaded.PathPrefix);
        Assert.Equal("a", loaded.Packages[0].Package.Name);
        var ex = Assert.Throws<PungiException>(() => PackageSetStore.Load(tmp.Path, "ppc64"));
        Assert.Equal(ErrorCodes.PkgsetStoreMissing, ex.Code);
    }
}
