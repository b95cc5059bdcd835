using Xunit;
using Pungi.Build.Gather;

namespace Pungi.Build.Tests.Gather;

/// <summary>
/// Runs the engine the way upstream's <c>DNFDepsolvingTestCase.go</c> runs <c>Gather</c>: one main repo (plus an
/// optional lookaside), conditional packages of the given comps groups, and the result as file names without the
/// lookaside packages.
/// </summary>
internal static class GatherHarness
{
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
        bool excludeDebug = false)
    {
        var repos = new List<GatherRepo> { new("test-repo", FixtureRepo.Load(repo)) };
        if (lookaside is not null) repos.Insert(0, new GatherRepo("lookaside", FixtureRepo.Load(lookaside), IsLookaside: true));
        var comps = FixtureRepo.Comps();
        var conditional = (groups ?? []).SelectMany(g => comps.Groups[g])
            .Where(r => r.Type == "conditional" && r.Requires is not null)
            .Select(r => new ConditionalPackage(r.Requires!, r.Name)).ToList();
        var result = GatherEngine.Solve(new GatherRequest
        {
            Arch = arch,
            Repos = repos,
            Packages = packages,
            ConditionalPackages = conditional,
            Langpacks = langpacks ? comps.Langpacks : [],
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
        });
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
