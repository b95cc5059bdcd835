using Xunit;
using Pungi.Build.Comps;
using Pungi.Build.Gather;
using Pungi.Build.Repodata;
using Pungi.Build.Rpm;

namespace Pungi.Build.Tests.Gather;

/// <summary>
/// Runs the engine the way upstream's <c>DNFDepsolvingTestCase.go</c> runs <c>Gather</c>: one main repo (plus an
/// optional lookaside), conditional packages of the given comps groups, and the result as file names without the
/// lookaside packages.
/// </summary>
internal static class GatherHarness
{
    /// <summary>How the fixture repositories and comps reach the engine.</summary>
    public enum Reading
    {
        /// <summary>The test-only reader (<see cref="FixtureRepo"/>), independent of the compose's code; lookaside
        /// first, as upstream's <c>dnf_instance</c> adds it.</summary>
        TestReader,

        /// <summary>The compose's own path: <see cref="RepodataReader"/>, <see cref="CompsModel"/> and
        /// <see cref="GatherSources.Kickstart"/> for the conditional packages, repositories in the order
        /// GatherPhase lists them (package set first, lookasides after).</summary>
        Compose,

        /// <summary>As <see cref="Compose"/>, but the main <c>repo</c> is a package set read from the 432 RPM files'
        /// headers (<see cref="RpmHeaderReader"/>, as PackageSetBuilder reads them), the way a Koji package set
        /// reaches gather; the other repositories (lookasides, cockpit, debuginfo) have no RPMs in the fixtures and
        /// stay on repodata, as lookaside repositories do in a compose.</summary>
        RpmHeaders,

        /// <summary>As <see cref="Compose"/>, every solve over one <see cref="GatherSack"/> per repository set, shared
        /// by all the cases (and by test classes running in parallel), as GatherPhase shares one per arch and lookaside
        /// list: no case may leave state in the sack that changes another's answer.</summary>
        SharedSack,

        /// <summary>As <see cref="Compose"/>, but the main repository is a Pkgset store's records read through
        /// <see cref="SackPackages.FromStore"/>, as the Gather task reads it: each package decoded only when the solve
        /// reads it, lookups through the saved <see cref="SackIndex"/> (built and saved by the first case, read back from
        /// the file by the others).</summary>
        LazyStore,
    }

    private static readonly string StoreIndexDir = MakeStoreIndexDir();

    private static string MakeStoreIndexDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "pungi-gather-harness-" + Environment.ProcessId);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        };
        return dir;
    }

    /// <summary>A package set of <paramref name="packages"/> as Pkgset stores it (whole records), a fresh lazy view each call.</summary>
    private static SackPackages LazyStore(string name, IReadOnlyList<RpmPackage> packages)
    {
        var entries = packages.Select(p => new Pungi.Build.Pkgset.PackageSetEntry("/" + p.Location, p.Location,
            Pungi.Build.Pkgset.PackageCodec.ReadSummary(Pungi.Build.Pkgset.PackageCodec.Encode(p)), Pungi.Build.Pkgset.PackageCodec.Encode(p), false)).ToList();
        var set = new Pungi.Build.Pkgset.PackageSet("repos", "x86_64", "/", entries);
        return SackPackages.FromStore(set, Path.Combine(StoreIndexDir, name + ".index"), "harness:" + name);
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string?), GatherSack> Sacks = new();

    private static readonly Lazy<IReadOnlyList<RpmPackage>> HeaderPackages = new(() =>
        Directory.EnumerateFiles(TestPaths.PungiDummyRpms, "*.rpm", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => RpmHeaderReader.Read(f, new RpmReadOptions { RepositoryRoot = TestPaths.PungiDummyRpms, ChecksumType = null })).ToList());

    private static readonly Dictionary<string, IReadOnlyList<RpmPackage>> ComposeCache = new(StringComparer.Ordinal);

    private static IReadOnlyList<RpmPackage> ComposeLoad(string name)
    {
        lock (ComposeCache)
        {
            if (!ComposeCache.TryGetValue(name, out var pkgs))
                ComposeCache[name] = pkgs = RepodataReader.Read(Path.Combine(FixtureRepo.Repos, name), new RepodataReadOptions { Other = false }).ToList();
            return pkgs;
        }
    }

    private static (List<ConditionalPackage> Conditional, List<LangpackMatch> Langpacks) ComposeComps(string[] groups)
    {
        var comps = CompsModel.Load(Path.Combine(FixtureRepo.Repos, "repo", "repodata", "dummy-comps.xml"));
        var gatherGroups = comps.Groups.Select(g => new GatherGroup(g.Id,
            g.Packages.Select(p => new GatherGroupPackage(p.Name, p.TypeName, p.Requires)).ToList())).ToList();
        var input = new VariantGatherInput();
        input.Groups.UnionWith(groups);
        // Kickstart refuses an empty input; a placeholder package keeps it going and only its conditional list is used,
        // as upstream's go() keeps only the conditional half of get_comps_packages.
        input.Packages.Add(("placeholder", null));
        var (_, conditional, _) = GatherSources.Kickstart(input, gatherGroups, "Test", "x86_64");
        return (conditional, comps.Langpacks.Select(kv => new LangpackMatch(kv.Key, kv.Value)).ToList());
    }

    public sealed record Outcome(List<string> Rpm, List<string> Srpm, List<string> Debuginfo, GatherResult Result);

    public static Outcome Go(
        string[] packages,
        string[]? groups = null,
        string arch = "x86_64",
        GreedyMethod greedy = GreedyMethod.None,
        bool fulltree = false,
        bool selfhosting = false,
        bool nodeps = false,
        string repo = "repo",
        string? lookaside = null,
        string[]? fulltreeExcludes = null,
        string[]? multilibMethods = null,
        string[]? multilibBlacklist = null,
        string[]? multilibWhitelist = null,
        string[]? prepopulate = null,
        bool langpacks = false,
        bool excludeSource = false,
        bool excludeDebug = false,
        Reading reading = Reading.TestReader)
    {
        List<GatherRepo> repos;
        List<ConditionalPackage> conditional;
        List<LangpackMatch> compsLangpacks;
        GatherSack? sack = null;
        if (reading is Reading.Compose or Reading.RpmHeaders or Reading.SharedSack or Reading.LazyStore)
        {
            repos = [new("pungi-repo-0", reading switch
            {
                Reading.RpmHeaders when repo == "repo" => HeaderPackages.Value,
                Reading.LazyStore => LazyStore(repo, ComposeLoad(repo)),
                _ => ComposeLoad(repo),
            })];
            if (lookaside is not null) repos.Add(new GatherRepo("lookaside-repo-0", ComposeLoad(lookaside), IsLookaside: true));
            (conditional, compsLangpacks) = ComposeComps(groups ?? []);
            if (reading == Reading.SharedSack)
            {
                var built = repos;
                sack = Sacks.GetOrAdd((repo, lookaside), _ => new GatherSack(built));
            }
        }
        else
        {
            repos = [new("test-repo", FixtureRepo.Load(repo))];
            if (lookaside is not null) repos.Insert(0, new GatherRepo("lookaside", FixtureRepo.Load(lookaside), IsLookaside: true));
            var comps = FixtureRepo.Comps();
            conditional = (groups ?? []).SelectMany(g => comps.Groups[g])
                .Where(r => r.Type == "conditional" && r.Requires is not null)
                .Select(r => new ConditionalPackage(r.Requires!, r.Name)).ToList();
            compsLangpacks = comps.Langpacks;
        }
        var result = GatherEngine.Solve(new GatherRequest
        {
            Arch = arch,
            Repos = sack?.Repos ?? repos,
            Packages = packages,
            ConditionalPackages = conditional,
            Langpacks = langpacks ? compsLangpacks : [],
            Greedy = greedy,
            Fulltree = fulltree,
            Selfhosting = selfhosting,
            ResolveDeps = !nodeps,
            FulltreeExcludes = fulltreeExcludes ?? [],
            MultilibMethods = multilibMethods ?? [],
            MultilibBlacklist = multilibBlacklist ?? [],
            MultilibWhitelist = multilibWhitelist ?? [],
            Prepopulate = prepopulate ?? [],
            ExcludeSource = excludeSource,
            ExcludeDebug = excludeDebug,
        }, sack);
        // File names built from the package (nosrc where the location says so), lookaside packages left out, as
        // upstream's test does.
        static string FileName(GatheredPackage p) => p.Package.Location.EndsWith(".nosrc.rpm", StringComparison.Ordinal)
            ? p.Package.FileName.Replace(".src.rpm", ".nosrc.rpm", StringComparison.Ordinal) : p.Package.FileName;
        static List<string> Names(IEnumerable<GatheredPackage> l) => l.Where(p => !p.IsLookaside)
            .Select(FileName).Distinct().Order(StringComparer.Ordinal).ToList();
        return new Outcome(Names(result.Rpm), Names(result.Srpm), Names(result.Debuginfo), result);
    }

    public static void Expect(Outcome o, string[] rpm, string[] srpm, string[] debuginfo)
    {
        Assert.Equal(rpm.Order(StringComparer.Ordinal), o.Rpm);
        Assert.Equal(srpm.Order(StringComparer.Ordinal), o.Srpm);
        Assert.Equal(debuginfo.Order(StringComparer.Ordinal), o.Debuginfo);
    }
}
