using Xunit;
using Pungi.Build.Diagnostics;
using Pungi.Build.Gather;
using Pungi.Build.Rpm;

namespace Pungi.Build.Tests.Gather;

/// <summary>
/// One small hand-built package set per rule of spec §3.4–§3.9 (the DNF backend, <c>pungi/gather_dnf.py</c>);
/// expected values worked out by hand from the rule each test names.
/// </summary>
public sealed class GatherRuleTests
{
    internal static RpmPackage P(string nvra, string[]? requires = null, string[]? provides = null, string? srpm = null, string[]? files = null)
    {
        // nvra: name-version-release.arch
        int dot = nvra.LastIndexOf('.');
        string arch = nvra[(dot + 1)..];
        var (name, ver, rel) = DnfGather.ParseSourceNvr(nvra[..dot] + ".x.rpm");
        return new RpmPackage
        {
            Name = name, Version = ver, Release = rel, Arch = arch,
            SourceRpm = arch is "src" or "nosrc" ? "" : srpm ?? $"{name}-{ver}-{rel}.src.rpm",
            Requires = (requires ?? []).Select(ParseDep).ToList(),
            Provides = (provides ?? []).Select(ParseDep).ToList(),
            Files = (files ?? []).Select(f => new PackageFile(f)).ToList(),
            Location = $"{arch}/{name}-{ver}-{rel}.{arch}.rpm",
        };
    }

    private static Dependency ParseDep(string s)
    {
        if (s.StartsWith('(')) return new Dependency(s);
        var parts = s.Split(' ');
        if (parts.Length != 3) return new Dependency(s);
        var flags = parts[1] switch
        {
            "=" => DependencyFlags.Equal, "<" => DependencyFlags.Less, ">" => DependencyFlags.Greater,
            "<=" => DependencyFlags.Less | DependencyFlags.Equal, _ => DependencyFlags.Greater | DependencyFlags.Equal,
        };
        return new Dependency(parts[0], flags, parts[2]);
    }

    private static GatherResult Solve(RpmPackage[] pkgs, string[] input, GreedyMethod greedy = GreedyMethod.None,
        RpmPackage[]? lookaside = null, string arch = "x86_64", string[]? multilib = null, bool fulltree = false)
    {
        var repos = new List<GatherRepo> { new("main", pkgs) };
        if (lookaside is not null) repos.Add(new GatherRepo("lookaside", lookaside, IsLookaside: true));
        return GatherEngine.Solve(new GatherRequest
        {
            Arch = arch, Repos = repos, Packages = input, Greedy = greedy, MultilibMethods = multilib ?? [], Fulltree = fulltree,
        });
    }

    private static string[] Rpms(GatherResult r) => r.Rpm.Where(p => !p.IsLookaside).Select(p => p.Package.Nevra).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void BestPackage_ArchOrderBeatsNameLength_ThenShortestName_ThenAlphabetical()
    {
        // §3.4 best_package step 5: arch index first (x86_64 before noarch), then shortest name, then alphabetical.
        var pkgs = new[]
        {
            P("app-1-1.x86_64", requires: ["mta"]),
            P("zz-1-1.noarch", provides: ["mta"]),
            P("postfix-1-1.x86_64", provides: ["mta"]),
            P("exim-1-1.x86_64", provides: ["mta"]),
            P("sendmail-1-1.x86_64", provides: ["mta"]),
        };
        Assert.Equal(["app-1-1.x86_64", "exim-1-1.x86_64"], Rpms(Solve(pkgs, ["app"])));
    }

    [Fact]
    public void BestPackage_PrefersProviderAlreadyInResult()
    {
        // §3.4 best_package step 4: native providers already selected win over a "better" unselected one.
        var pkgs = new[] { P("app-1-1.x86_64", requires: ["mta"]), P("exim-1-1.x86_64", provides: ["mta"]), P("sendmail-1-1.x86_64", provides: ["mta"]) };
        Assert.Equal(["app-1-1.x86_64", "sendmail-1-1.x86_64"], Rpms(Solve(pkgs, ["app", "sendmail"])));
    }

    [Fact]
    public void BestPackage_NativeBeforeMultilib()
    {
        // §3.4 best_package step 4: native before multilib even when the multilib one sorts better by name.
        var pkgs = new[] { P("app-1-1.x86_64", requires: ["lib"]), P("a-1-1.i686", provides: ["lib"]), P("libbb-1-1.x86_64", provides: ["lib"]) };
        Assert.Equal(["app-1-1.x86_64", "libbb-1-1.x86_64"], Rpms(Solve(pkgs, ["app"])));
    }

    [Fact]
    public void GreedyBuild_PullsEveryProviderFromTheWinnersSourceRpm_GreedyAllPullsAll()
    {
        // §3.5: Requires foo, providers pkg-a, pkg-b-provider-1 and -2 (one SRPM); best is pkg-b-provider-1 here by
        // arch (pkg-a is noarch).
        var pkgs = new[]
        {
            P("app-1-1.x86_64", requires: ["foo"]),
            P("pkg-a-1-1.noarch", provides: ["foo"]),
            P("pkg-b-provider-1-1-1.x86_64", provides: ["foo"], srpm: "pkg-b-1-1.src.rpm"),
            P("pkg-b-provider-2-1-1.x86_64", provides: ["foo"], srpm: "pkg-b-1-1.src.rpm"),
        };
        Assert.Equal(["app-1-1.x86_64", "pkg-b-provider-1-1-1.x86_64"], Rpms(Solve(pkgs, ["app"])));
        Assert.Equal(["app-1-1.x86_64", "pkg-b-provider-1-1-1.x86_64", "pkg-b-provider-2-1-1.x86_64"], Rpms(Solve(pkgs, ["app"], GreedyMethod.Build)));
        Assert.Equal(["app-1-1.x86_64", "pkg-a-1-1.noarch", "pkg-b-provider-1-1-1.x86_64", "pkg-b-provider-2-1-1.x86_64"],
            Rpms(Solve(pkgs, ["app"], GreedyMethod.All)));
    }

    [Fact]
    public void RequirementCache_IsSharedBetweenBinaryAndDebugResolution()
    {
        // Appendix B: the requirement→provider cache is global; the debuginfo's "libx" reuses the binary choice (x),
        // which is in the binary result, so the debug provider y-debuginfo is never added.
        var pkgs = new[]
        {
            P("a-1-1.x86_64", requires: ["libx"]),
            P("a-debuginfo-1-1.x86_64", requires: ["libx"], srpm: "a-1-1.src.rpm"),
            P("x-1-1.x86_64", provides: ["libx"]),
            P("y-debuginfo-1-1.x86_64", provides: ["libx"], srpm: "y-1-1.src.rpm"),
        };
        var r = Solve(pkgs, ["a"]);
        Assert.Equal(["a-debuginfo-1-1.x86_64"], r.Debuginfo.Select(p => p.Package.Nevra));
    }

    [Fact]
    public void Excludes_AreLatestPerNameArch_AndNameArchIsALiteralGlob()
    {
        // §3.4 step A: excludes apply first and the newest remaining version wins; "name.x86_64" is not interpreted.
        var pkgs = new[] { P("foo-1-1.x86_64"), P("foo-2-1.x86_64"), P("bar-1-1.x86_64") };
        Assert.Equal(["foo-2-1.x86_64"], Rpms(Solve(pkgs, ["foo"])));
        Assert.Equal(["bar-1-1.x86_64"], Rpms(Solve(pkgs, ["bar", "-foo.x86_64"])).Concat(Rpms(Solve(pkgs, ["bar", "-foo"]))).Distinct());
        Assert.Equal(["foo-2-1.x86_64"], Rpms(Solve(pkgs, ["foo", "-foo.x86_64"])));
    }

    [Fact]
    public void Lookaside_PackagesAreFlaggedAndTheirDepsNotResolved()
    {
        // §3.9: a provider from lookaside is flagged, never resolved further, and the lookaside copy wins for the
        // same name-evr (best_package step 1).
        var main = new[] { P("app-1-1.x86_64", requires: ["lib"]), P("lib-1-1.x86_64", requires: ["deep"]), P("deep-1-1.x86_64") };
        var look = new[] { P("lib-1-1.x86_64", requires: ["deep"]) };
        var r = Solve(main, ["app"], lookaside: look);
        Assert.Equal(["app-1-1.x86_64"], Rpms(r));
        Assert.Equal("lookaside", r.Rpm.Single(p => p.Package.Name == "lib").RepoId);
        Assert.True(r.Rpm.Single(p => p.Package.Name == "lib").IsLookaside);
    }

    [Fact]
    public void RichDependencies_AreResolvedAsLibsolvWhatProvides()
    {
        // Boolean deps: "or"/"and"/"if" are the union of the branches' providers (one best is taken), "with" the
        // intersection, "without" the difference.
        var pkgs = new[]
        {
            P("app-1-1.x86_64", requires: ["(aa or bbb)"]),
            P("app2-1-1.x86_64", requires: ["(cap with longname)"]),
            P("app3-1-1.x86_64", requires: ["(tool if gui else headless-tool)"]),
            P("aa-1-1.x86_64"), P("bbb-1-1.x86_64"),
            P("c-1-1.x86_64", provides: ["cap"]), P("longname-1-1.x86_64", provides: ["cap"]),
            P("tool-1-1.x86_64"), P("headless-tool-1-1.x86_64"),
        };
        Assert.Equal(["aa-1-1.x86_64", "app-1-1.x86_64"], Rpms(Solve(pkgs, ["app"])));
        Assert.Equal(["app2-1-1.x86_64", "longname-1-1.x86_64"], Rpms(Solve(pkgs, ["app2"])));
        Assert.Equal(["app3-1-1.x86_64", "tool-1-1.x86_64"], Rpms(Solve(pkgs, ["app3"])));
        Assert.Empty(Solve(pkgs, ["app2"]).UnresolvedDependencies);
    }

    [Fact]
    public void FileRequirements_AreMetByFileLists_AndVersionedRequiresByRange()
    {
        var pkgs = new[]
        {
            P("app-1-1.x86_64", requires: ["/usr/bin/perl", "lib >= 2"]),
            P("perl-5-1.x86_64", files: ["/usr/bin/perl"]),
            P("lib-1-1.x86_64"), P("compat-lib-3-1.x86_64", provides: ["lib = 3"]),
        };
        var r = Solve(pkgs, ["app"]);
        Assert.Equal(["app-1-1.x86_64", "compat-lib-3-1.x86_64", "perl-5-1.x86_64"], Rpms(r));
    }

    [Fact]
    public void UnresolvableDependency_IsReportedWithUpstreamText()
    {
        var r = Solve([P("app-1-1.x86_64", requires: ["missing-thing"])], ["app", "nothing-like-this"]);
        Assert.Equal("Unresolvable dependency missing-thing in app.x86_64", r.UnresolvedDependencies.Single().ToString());
        Assert.Equal(["nothing-like-this"], r.MissingPatterns);
    }

    [Fact]
    public void Multilib_RuntimeSelectsSharedLibraries_DevelImpliesRuntime_NoneSelectsNothing()
    {
        // §3.6: runtime = a *.so.* file in a lib dir; devel = -devel names or runtime.
        var pkgs = new[]
        {
            P("libfoo-1-1.x86_64", files: ["/usr/lib64/libfoo.so.1"]), P("libfoo-1-1.i686", files: ["/usr/lib/libfoo.so.1"]),
            P("tool-1-1.x86_64", files: ["/usr/bin/tool"]), P("tool-1-1.i686", files: ["/usr/bin/tool"]),
        };
        Assert.Equal(["libfoo-1-1.i686", "libfoo-1-1.x86_64", "tool-1-1.x86_64"], Rpms(Solve(pkgs, ["libfoo", "tool"], multilib: ["runtime"])));
        Assert.Equal(["libfoo-1-1.i686", "libfoo-1-1.x86_64", "tool-1-1.x86_64"], Rpms(Solve(pkgs, ["libfoo", "tool"], multilib: ["devel"])));
        Assert.Equal(["libfoo-1-1.x86_64", "tool-1-1.x86_64"], Rpms(Solve(pkgs, ["libfoo", "tool"], multilib: ["none"])));
        var all = Solve(pkgs, ["libfoo", "tool"], multilib: ["all"]);
        Assert.Equal(4, all.Rpm.Count);
        Assert.Equal("multilib:all of tool-1-1.x86_64", all.Reasons[all.Rpm.Single(p => p.Package.Nevra == "tool-1-1.i686").Package].ToString());
    }

    [Fact]
    public void Multilib_YumOnlyMethodsAreReported()
    {
        var e = Assert.Throws<PungiException>(() => Solve([P("a-1-1.x86_64")], ["a"], multilib: ["kernel"]));
        Assert.Equal(ErrorCodes.GatherUnknownMultilibMethod, e.Code);
        Assert.Contains("yum backend", e.Message);
    }

    [Fact]
    public void Fulltree_NoTransitiveFulltree_AndNoarchSiblingsAlways()
    {
        // §3.4 step 7: siblings from the same SRPM come in (native because a native one is in); packages pulled by
        // fulltree do not run fulltree themselves, so dep-of-sibling's own siblings stay out unless required.
        var pkgs = new[]
        {
            P("a-1-1.x86_64"), P("a-doc-1-1.noarch", srpm: "a-1-1.src.rpm"), P("a-libs-1-1.x86_64", srpm: "a-1-1.src.rpm"),
            P("a-libs-1-1.i686", srpm: "a-1-1.src.rpm"), P("a-1-1.src"),
        };
        var r = Solve(pkgs, ["a"], fulltree: true);
        Assert.Equal(["a-1-1.x86_64", "a-doc-1-1.noarch", "a-libs-1-1.x86_64"], Rpms(r));
        Assert.Equal(["fulltree"], r.Rpm.Single(p => p.Package.Name == "a-doc").FlagNames);
        Assert.Equal(["input"], r.Rpm.Single(p => p.Package.Name == "a").FlagNames);
        Assert.Equal(["a-1-1.src"], r.Srpm.Select(p => p.Package.Nevra));
    }

    [Fact]
    public void Why_FollowsTheChainBackToTheInput()
    {
        var pkgs = new[] { P("app-1-1.x86_64", requires: ["mid"]), P("mid-1-1.x86_64", requires: ["leaf"]), P("leaf-1-1.x86_64") };
        var chain = Solve(pkgs, ["app"]).Why("leaf");
        Assert.Equal(["leaf-1-1.x86_64", "mid-1-1.x86_64", "app-1-1.x86_64"], chain.Select(c => c.Package.Nevra));
        Assert.Equal("requirement 'leaf' of mid-1-1.x86_64", chain[0].Reason.ToString());
        Assert.Equal("input", chain[2].Reason.ToString());
    }

    [Fact]
    public void Arches_FollowTheYumTable()
    {
        var x = new GatherArches("x86_64");
        Assert.Equal(["x86_64", "athlon", "i686", "i586", "i486", "i386", "noarch"], x.AllArches);
        Assert.Equal(["x86_64", "noarch"], x.NativeArches);
        Assert.Equal(["athlon", "i686", "i586", "i486", "i386"], x.MultilibArches);
        Assert.Equal(["ppc"], new GatherArches("ppc64").MultilibArches);
        Assert.Empty(new GatherArches("aarch64").MultilibArches);
        Assert.Equal("i686", new GatherArches("i386").YumArch);
        Assert.Equal(ErrorCodes.GatherUnknownArch, Assert.Throws<PungiException>(() => new GatherArches("vax")).Code);
    }
}
