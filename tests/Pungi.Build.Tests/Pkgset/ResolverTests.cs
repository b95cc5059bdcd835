using Pungi.Build.Comps;
using Pungi.Build.Gather;
using Pungi.Build.Pkgset;
using Pungi.Build.Rpm;
using Xunit;

namespace Pungi.Build.Tests.Pkgset;

/// <summary>
/// The repos source's per-arch pull (spec §2.2.2, upstream <c>source_repos.get_pkgset_from_repos</c>): the arch's set is
/// what <c>pungi-gather --selfhosting --fulltree --greedy=none --multilib=all</c> returns for a kickstart of the gather
/// sources' packages + <c>system-release</c> + the comps groups, over <c>pkgset_repos[arch] + pkgset_repos["*"]</c>.
/// The packages here are made in code (repodata-only candidates), so each rule is pinned on its own.
/// </summary>
public class ResolverTests
{
    /// <summary>A binary or source package; <paramref name="requires"/> are run-time (binary) or build (SRPM) requirements.</summary>
    private static RpmCandidate Pkg(string nvra, string? srpm = null, string[]? requires = null, string[]? provides = null,
        string[]? forArches = null)
    {
        int dot = nvra.LastIndexOf('.');
        string arch = nvra[(dot + 1)..], nvr = nvra[..dot];
        int r = nvr.LastIndexOf('-'), v = nvr.LastIndexOf('-', r - 1);
        string name = nvr[..v], version = nvr[(v + 1)..r], release = nvr[(r + 1)..];
        bool source = arch is "src" or "nosrc";
        var self = new Dependency(name, DependencyFlags.Equal, $"{version}-{release}");
        var p = new RpmPackage
        {
            Name = name, Version = version, Release = release, Arch = arch,
            SourceRpm = source ? "" : (srpm ?? name) + $"-{version}-{release}.src.rpm",
            Provides = source ? [] : [self, .. (provides ?? []).Select(x => new Dependency(x))],
            Requires = (requires ?? []).Select(x => new Dependency(x)).ToList(),
            Location = nvra + ".rpm",
        };
        return new RpmCandidate($"/virtual/r1/{nvra}.rpm", "/virtual/r1", forArches ?? [], p);
    }

    private static GatherGroup Group(string id, params string[] members)
        => new(id, members.Select(m => new GatherGroupPackage(m)).ToList());

    private static PkgsetResult Build(TempDir tmp, RpmCandidate[] candidates, PkgsetGatherInput? input, string[]? arches = null)
        => PackageSetBuilder.Build(new PkgsetRequest
        {
            WorkDir = tmp.Sub("work"),
            Arches = arches ?? ["x86_64"],
            Source = new FakeSource(candidates),
            Resolver = input is null ? null : new DepsolveResolver(_ => input),
            MultilibArches = arches ?? ["x86_64"],
        });

    private static HashSet<string> Nevras(PackageSet set) => set.Packages.Select(e => e.Summary.Nevra).ToHashSet();

    // A small universe: bash (group core) needs glibc; glibc's SRPM builds glibc-common too; bash's SRPM build-requires
    // bison (whose SRPM also builds bison-runtime); httpd needs nothing and nothing needs it.
    private static readonly RpmCandidate[] Universe =
    [
        Pkg("bash-5.0-1.x86_64", requires: ["libc.so.6()(64bit)"]),
        Pkg("bash-5.0-1.i686", requires: ["libc.so.6()"]),
        Pkg("bash-doc-5.0-1.noarch", srpm: "bash"),
        Pkg("bash-5.0-1.src", requires: ["bison"]),
        Pkg("glibc-2.38-1.x86_64", provides: ["libc.so.6()(64bit)"]),
        Pkg("glibc-2.38-1.i686", provides: ["libc.so.6()"]),
        Pkg("glibc-common-2.38-1.x86_64", srpm: "glibc"),
        Pkg("glibc-2.38-1.src"),
        Pkg("bison-3.8-1.x86_64"),
        Pkg("bison-runtime-3.8-1.x86_64", srpm: "bison"),
        Pkg("bison-3.8-1.src"),
        Pkg("httpd-2.4-1.x86_64"),
        Pkg("httpd-2.4-1.i686"),
        Pkg("httpd-2.4-1.src"),
    ];

    private static readonly PkgsetGatherInput Core = new() { Groups = [Group("core", "bash")] };

    [Fact]
    public void PackageOutsideTheDependencyClosureIsNotInTheArchSet()
    {
        // Upstream: only what pungi-gather downloads for the kickstart enters the set (FilelistPackageSet of the download).
        using var tmp = new TempDir();
        var r = Build(tmp, Universe, Core);
        var x86 = Nevras(r.Arches["x86_64"]);
        Assert.Contains("bash-5.0-1.x86_64", x86);   // group member
        Assert.Contains("glibc-2.38-1.x86_64", x86); // its requirement
        Assert.DoesNotContain("httpd-2.4-1.x86_64", x86);
        Assert.DoesNotContain("httpd-2.4-1.i686", x86);
        Assert.DoesNotContain("httpd-2.4-1.src", x86);
        Assert.DoesNotContain("httpd-2.4-1.src", Nevras(r.Global));
    }

    [Fact]
    public void WithoutResolverEveryCandidateOfTheArchStays()
    {
        // The resolver-less behaviour (no wanted packages): every candidate whose arch the tree takes.
        using var tmp = new TempDir();
        var x86 = Nevras(Build(tmp, Universe, input: null).Arches["x86_64"]);
        Assert.Contains("httpd-2.4-1.x86_64", x86);
        Assert.Contains("httpd-2.4-1.src", x86);
    }

    [Fact]
    public void FulltreePullsEverySiblingOfTheSameSrpm()
    {
        // --fulltree: every binary built from the SRPM of a selected package (gather_dnf add_fulltree).
        using var tmp = new TempDir();
        var x86 = Nevras(Build(tmp, Universe, Core).Arches["x86_64"]);
        Assert.Contains("glibc-common-2.38-1.x86_64", x86); // nothing requires it: sibling of glibc
        Assert.Contains("bash-doc-5.0-1.noarch", x86);      // noarch sibling of bash
        Assert.Contains("glibc-2.38-1.src", x86);
        Assert.Contains("bash-5.0-1.src", x86);
    }

    [Fact]
    public void SelfhostingPullsTheBuildDependenciesOfTheSrpms()
    {
        // --selfhosting: the SRPMs' requirements (BuildRequires) are resolved too (gather_dnf add_source_deps), and
        // with fulltree the build dependency's siblings follow.
        using var tmp = new TempDir();
        var resolver = new DepsolveResolver(_ => Core);
        var r = PackageSetBuilder.Build(new PkgsetRequest
        {
            WorkDir = tmp.Sub("work"), Arches = ["x86_64"], Source = new FakeSource(Universe), Resolver = resolver,
        });
        var x86 = Nevras(r.Arches["x86_64"]);
        Assert.Contains("bison-3.8-1.x86_64", x86);
        Assert.Contains("bison-runtime-3.8-1.x86_64", x86);
        Assert.Contains("bison-3.8-1.src", x86);
        Assert.Equal("build-requires", resolver.Results["x86_64"].Why("bison")[0].Reason.Kind);
    }

    [Fact]
    public void MultilibAllPullsTheI686PackagesOfSelectedOnes()
    {
        // --multilib=all: every selected native package's multilib-arch build is added (multilib method "all").
        using var tmp = new TempDir();
        var x86 = Nevras(Build(tmp, Universe, Core).Arches["x86_64"]);
        Assert.Contains("bash-5.0-1.i686", x86);
        Assert.Contains("glibc-2.38-1.i686", x86);
        Assert.DoesNotContain("httpd-2.4-1.i686", x86); // its native package was not selected
    }

    [Fact]
    public void AdditionalPackagesAreKickstartPackageLines()
    {
        // get_packages_to_gather: additional_packages join the gather sources' packages on the kickstart.
        using var tmp = new TempDir();
        var input = new PkgsetGatherInput { Groups = Core.Groups, Packages = ["httpd"] };
        var x86 = Nevras(Build(tmp, Universe, input).Arches["x86_64"]);
        Assert.Contains("httpd-2.4-1.x86_64", x86);
        Assert.Contains("httpd-2.4-1.i686", x86);
    }

    [Fact]
    public void SystemReleaseIsANamePatternWithGreedyNone()
    {
        // write_pungi_config always adds "system-release"; gather_dnf looks it up by provides only with greedy_method
        // "all", so with --greedy=none only a package *named* system-release matches, not one providing it.
        using var tmp = new TempDir();
        RpmCandidate[] pkgs =
        [
            .. Universe,
            Pkg("fedora-release-40-1.noarch", provides: ["system-release"]),
            Pkg("fedora-release-40-1.src"),
            Pkg("system-release-1-1.noarch"),
            Pkg("system-release-1-1.src"),
        ];
        var resolver = new DepsolveResolver(_ => Core);
        var r = PackageSetBuilder.Build(new PkgsetRequest
        {
            WorkDir = tmp.Sub("work"), Arches = ["x86_64"], Source = new FakeSource(pkgs), Resolver = resolver,
        });
        var x86 = Nevras(r.Arches["x86_64"]);
        Assert.Contains("system-release-1-1.noarch", x86);
        Assert.DoesNotContain("fedora-release-40-1.noarch", x86);
    }

    [Fact]
    public void GroupsComeWithOptionalMembersAndConditionalOnes()
    {
        // write_kickstart writes "@group --optional"; a conditional member comes in when its requirement is in.
        using var tmp = new TempDir();
        RpmCandidate[] pkgs =
        [
            .. Universe,
            Pkg("ims-1-1.x86_64"), Pkg("ims-gnome-1-1.x86_64", srpm: "ims-gnome"), Pkg("ims-1-1.src"), Pkg("ims-gnome-1-1.src"),
            Pkg("ims-qt-1-1.x86_64", srpm: "ims-qt"), Pkg("ims-qt-1-1.src"),
        ];
        var group = new GatherGroup("desktop",
        [
            new GatherGroupPackage("ims", "optional"),
            new GatherGroupPackage("ims-gnome", "conditional", "ims"),
            new GatherGroupPackage("ims-qt", "conditional", "not-there"),
        ]);
        var x86 = Nevras(Build(tmp, pkgs, new PkgsetGatherInput { Groups = [group] }).Arches["x86_64"]);
        Assert.Contains("ims-1-1.x86_64", x86);
        Assert.Contains("ims-gnome-1-1.x86_64", x86);
        Assert.DoesNotContain("ims-qt-1-1.x86_64", x86);
    }

    [Fact]
    public void MissingPatternsAndBrokenDependenciesAreWarnings()
    {
        // Upstream's pkgset parses pungi-gather's log and goes on; Gather decides about broken deps (check_deps).
        using var tmp = new TempDir();
        RpmCandidate[] pkgs = [Pkg("lonely-1-1.x86_64", requires: ["nothing-provides-this"]), Pkg("lonely-1-1.src")];
        var resolver = new DepsolveResolver(_ => new PkgsetGatherInput { Packages = ["lonely", "ghost"] });
        var r = PackageSetBuilder.Build(new PkgsetRequest
        {
            WorkDir = tmp.Sub("work"), Arches = ["x86_64"], Source = new FakeSource(pkgs), Resolver = resolver,
        });
        Assert.Contains("lonely-1-1.x86_64", Nevras(r.Arches["x86_64"]));
        Assert.Contains(resolver.Warnings, w => w.Message.Contains("ghost", StringComparison.Ordinal));
        Assert.Contains(resolver.Warnings, w => w.Message.Contains("nothing-provides-this", StringComparison.Ordinal));
        Assert.All(resolver.Warnings, w => Assert.Equal("PUNGI2111", w.Code));
    }

    [Fact]
    public void ArchOnlyRepositoryIsInvisibleToOtherArches()
    {
        // Repos are pkgset_repos[arch] + pkgset_repos["*"]: a requirement only an s390x repo provides stays unresolved
        // in x86_64's depsolving. But upstream builds ONE FilelistPackageSet from every arch's downloads and cuts the
        // per-arch sets from it by arch, so the noarch helper pulled for s390x lands in the x86_64 set as well.
        using var tmp = new TempDir();
        RpmCandidate[] pkgs =
        [
            Pkg("app-1-1.x86_64", requires: ["helper"]), Pkg("app-1-1.s390x", requires: ["helper"]), Pkg("app-1-1.src"),
            Pkg("helper-1-1.noarch", forArches: ["s390x"]), Pkg("helper-1-1.src", forArches: ["s390x"]),
        ];
        var resolver = new DepsolveResolver(_ => new PkgsetGatherInput { Packages = ["app"] });
        var r = PackageSetBuilder.Build(new PkgsetRequest
        {
            WorkDir = tmp.Sub("work"), Arches = ["x86_64", "s390x"], Source = new FakeSource(pkgs), Resolver = resolver,
        });
        Assert.Contains("helper-1-1.noarch", Nevras(r.Arches["s390x"]));
        Assert.Contains("helper-1-1.noarch", Nevras(r.Arches["x86_64"]));
        Assert.DoesNotContain(resolver.Results["x86_64"].Rpm, g => g.Package.Name == "helper");
        Assert.Contains(resolver.Warnings, w => w.Message.StartsWith("x86_64:", StringComparison.Ordinal) && w.Message.Contains("helper", StringComparison.Ordinal));
    }

    /// <summary>
    /// The 451 pungi-dummy RPMs with all groups of dummy-comps.xml on x86_64. Worked out by hand from the specs
    /// (pungi-dummy/specs) and the directory listing:
    /// <list type="bullet">
    /// <item>core → dummy-bash (latest 4.2.37-6), which requires dummy-glibc; fulltree adds dummy-bash-doc (noarch, same
    /// SRPM); multilib=all adds dummy-bash.i686 and dummy-glibc.i686.</item>
    /// <item>firefox → Dummy-firefox requires Dummy-xulrunner; the Dummy-firefox SRPM BuildRequires dummy-krb5-devel
    /// (selfhosting), which requires dummy-krb5 (and dummy-krb5-libs); the krb5 SRPM BuildRequires dummy-bash.</item>
    /// <item>resilient-storage → dummy-lvm2-cluster (requires dummy-lvm2 = and dummy-lvm2-libs) and dummy-resource-agents.</item>
    /// <item>Nothing asks for dummy-httpd, dummy-postfix, dummy-sendmail, dummy-vacation, dummy-kernel, dummy-atlas,
    /// dummy-perl or dummy-imsettings (basic-desktop's dummy-imsettings-gnome is only conditional on it); dummy-release-server
    /// provides system-release but is not named so (greedy none); dummy-bash 4.2.37-5 is not the latest.</item>
    /// </list>
    /// </summary>
    [Fact]
    public void DummyFixtureX86_64FromAllCompsGroups()
    {
        using var tmp = new TempDir();
        var comps = CompsModel.Load(Path.Combine(TestPaths.Fixtures, "pungi-dummy", "dummy-comps.xml"));
        var input = new PkgsetGatherInput { Groups = PkgsetGatherInput.GroupsOf(comps), Langpacks = PkgsetGatherInput.LangpacksOf(comps) };
        var resolver = new DepsolveResolver(_ => input);
        var r = PackageSetBuilder.Build(new PkgsetRequest
        {
            WorkDir = tmp.Sub("work"),
            Arches = ["x86_64"],
            Repositories = [new PackageRepositoryInput(TestPaths.PungiDummyRpms)],
            Resolver = resolver,
            MultilibArches = ["x86_64"],
        });
        var x86 = Nevras(r.Arches["x86_64"]);
        string[] members =
        [
            "dummy-bash-4.2.37-6.x86_64", "dummy-bash-4.2.37-6.i686", "dummy-bash-doc-4.2.37-6.noarch", "dummy-bash-4.2.37-6.src",
            "dummy-glibc-2.14-5.x86_64", "dummy-glibc-2.14-5.i686", "dummy-glibc-2.14-5.src",
            "Dummy-firefox-16.0.1-1.x86_64", "Dummy-xulrunner-16.0.1-1.x86_64", "Dummy-xulrunner-16.0.1-1.src",
            "dummy-krb5-devel-1.10-5.x86_64", "dummy-krb5-1.10-5.x86_64", "dummy-krb5-libs-1.10-5.x86_64", "dummy-krb5-1.10-5.src",
            "dummy-lvm2-cluster-2.02.84-4.x86_64", "dummy-lvm2-2.02.84-4.x86_64", "dummy-lvm2-libs-2.02.84-4.x86_64",
            "dummy-resource-agents-3.9.5-8.x86_64", "dummy-glusterfs-resource-agents-3.9.5-8.x86_64",
            "dummy-elinks-2.6-2.x86_64", "dummy-tftp-5.2-6.x86_64", // text-internet's optional members (@group --optional)
        ];
        string[] nonMembers =
        [
            "dummy-bash-4.2.37-5.x86_64", "dummy-httpd-2.2.21-1.x86_64", "dummy-httpd-2.2.21-1.src", "dummy-postfix-2.9.2-2.x86_64",
            "dummy-sendmail-8.14.5-12.x86_64", "dummy-vacation-1.2.7.1-1.x86_64", "dummy-kernel-3.1.0-1.x86_64",
            "dummy-atlas-3.8.4-7.x86_64", "dummy-perl-1.0.0-1.x86_64", "dummy-imsettings-1.2.9-1.x86_64",
            "dummy-imsettings-gnome-1.2.9-1.x86_64", "dummy-release-server-1.0.0-1.x86_64",
        ];
        Assert.All(members, m => Assert.Contains(m, x86));
        Assert.All(nonMembers, m => Assert.DoesNotContain(m, x86));
        Assert.True(x86.Count < 175, $"the depsolved set ({x86.Count}) is smaller than the resolver-less one (175)");
    }
    // ---- The depsolve memo (issue 11): the repos source's answer kept under a key of what it depends on ----

    private static (PkgsetResult Result, DepsolveResolver Resolver) BuildWithMemo(TempDir tmp, RpmCandidate[] candidates, PkgsetGatherInput input, bool memo = true)
    {
        var resolver = new DepsolveResolver(_ => input, memo ? tmp.Sub("work") : null);
        var r = PackageSetBuilder.Build(new PkgsetRequest
        {
            WorkDir = tmp.Sub("work"), Arches = ["x86_64"], Source = new FakeSource(candidates), Resolver = resolver, MultilibArches = ["x86_64"],
        });
        return (r, resolver);
    }

    private static List<string> Warnings(PkgsetResult r, DepsolveResolver resolver)
        => r.Warnings.Concat(resolver.Warnings).Select(w => w.Message).ToList();

    /// <summary>
    /// Upstream depsolves the union of every variant's lines (spec §2.2.2), so a variant's new line reran the whole
    /// depsolve. The answer depends on the lines only through the packages they match: a line that matches only names
    /// another line already asks for (httpd* beside h*) keeps the key, the last answer is used, and the set and the
    /// files are exactly what a fresh solve gives.
    /// </summary>
    [Fact]
    public void A_line_matching_only_names_already_asked_for_reuses_the_last_depsolve()
    {
        using var tmp = new TempDir();
        var before = new PkgsetGatherInput { Groups = Core.Groups, Packages = ["h*"] };
        var after = new PkgsetGatherInput { Groups = Core.Groups, Packages = ["h*", "httpd", "bash"] };
        var (first, r1) = BuildWithMemo(tmp, Universe, before);
        Assert.False(r1.Recalled["x86_64"]);
        var (second, r2) = BuildWithMemo(tmp, Universe, after);
        Assert.True(r2.Recalled["x86_64"]);
        Assert.Equal(Nevras(first.Arches["x86_64"]), Nevras(second.Arches["x86_64"]));

        using var fresh = new TempDir();
        var (reference, _) = BuildWithMemo(fresh, Universe, after, memo: false);
        Assert.Equal(Nevras(reference.Arches["x86_64"]), Nevras(second.Arches["x86_64"]));
        Assert.Equal(File.ReadAllBytes(PkgsetPaths.Store(fresh.Sub("work"), "x86_64", "repos")),
            File.ReadAllBytes(PkgsetPaths.Store(tmp.Sub("work"), "x86_64", "repos")));
    }

    /// <summary>A line reaching a new name, or candidates that changed (a new build), are solved again.</summary>
    [Fact]
    public void A_new_name_or_changed_candidates_solve_again()
    {
        using var tmp = new TempDir();
        var (_, r1) = BuildWithMemo(tmp, Universe, Core);
        Assert.False(r1.Recalled["x86_64"]);
        Assert.True(BuildWithMemo(tmp, Universe, Core).Resolver.Recalled["x86_64"]);

        var (withHttpd, r2) = BuildWithMemo(tmp, Universe, new PkgsetGatherInput { Groups = Core.Groups, Packages = ["httpd"] });
        Assert.False(r2.Recalled["x86_64"]);
        Assert.Contains("httpd-2.4-1.x86_64", Nevras(withHttpd.Arches["x86_64"]));

        RpmCandidate[] newer = [.. Universe.Where(c => c.Path != "/virtual/r1/glibc-2.38-1.x86_64.rpm"), Pkg("glibc-2.38-2.x86_64", provides: ["libc.so.6()(64bit)"])];
        var (rebuilt, r3) = BuildWithMemo(tmp, newer, new PkgsetGatherInput { Groups = Core.Groups, Packages = ["httpd"] });
        Assert.False(r3.Recalled["x86_64"]);
        Assert.Contains("glibc-2.38-2.x86_64", Nevras(rebuilt.Arches["x86_64"]));
    }

    /// <summary>pungi-gather logs a line that matches nothing; with the memo the new line's warning is still given.</summary>
    [Fact]
    public void A_remembered_depsolve_still_warns_about_a_line_matching_nothing()
    {
        using var tmp = new TempDir();
        BuildWithMemo(tmp, Universe, Core);
        var input = new PkgsetGatherInput { Groups = Core.Groups, Packages = ["nosuch*"] };
        var (r, resolver) = BuildWithMemo(tmp, Universe, input);
        Assert.True(resolver.Recalled["x86_64"]);
        using var fresh = new TempDir();
        var (reference, freshResolver) = BuildWithMemo(fresh, Universe, input, memo: false);
        Assert.Contains(Warnings(r, resolver), w => w.Contains("no package matches pattern nosuch*", StringComparison.Ordinal));
        Assert.Equal(Warnings(reference, freshResolver), Warnings(r, resolver));
    }
}
