using Pungi.Build.Comps;
using Pungi.Build.Diagnostics;
using Pungi.Build.Gather;
using Pungi.Build.Rpm;

namespace Pungi.Build.Pkgset;

/// <summary>
/// What the repos source's kickstart <c>work/&lt;arch&gt;/pungi/&lt;arch&gt;.conf</c> asks for on one arch (spec §2.2.2):
/// the packages of all gather sources (additional packages included) — <c>system-release</c> is added by the
/// resolver — the groups of the arch's comps, and prepopulate.
/// </summary>
public sealed class PkgsetGatherInput
{
    /// <summary>Package lines as written to <c>%packages</c>: names, globs or <c>name.arch</c>.</summary>
    public IReadOnlyList<string> Packages { get; init; } = [];

    /// <summary>The groups to install (<c>@group --optional</c>) with their members, from the arch's comps.</summary>
    public IReadOnlyList<GatherGroup> Groups { get; init; } = [];

    /// <summary>The comps langpacks the depsolver sees through the kickstart's comps repo.</summary>
    public IReadOnlyList<LangpackMatch> Langpacks { get; init; } = [];

    /// <summary><c>%prepopulate</c> entries (<c>name.arch</c>).</summary>
    public IReadOnlyList<string> Prepopulate { get; init; } = [];

    public bool IsEmpty => Packages.Count == 0 && Groups.Count == 0 && Prepopulate.Count == 0;

    /// <summary>Every group of a comps file (the <c>comps</c> gather source with no variant takes all of them).</summary>
    public static IReadOnlyList<GatherGroup> GroupsOf(CompsModel comps)
        => comps.Groups.Select(g => new GatherGroup(g.Id, g.Packages.Select(p => new GatherGroupPackage(p.Name, p.TypeName, p.Requires)).ToList()))
            .ToList();

    public static IReadOnlyList<LangpackMatch> LangpacksOf(CompsModel comps)
        => comps.Langpacks.Select(kv => new LangpackMatch(kv.Key, kv.Value)).ToList();

    /// <summary>Package names the input names outright (group members, plain package lines): Pkgset's "wanted" list.</summary>
    public IEnumerable<string> WantedNames()
        => Groups.SelectMany(g => g.Packages.Select(p => p.Name))
            .Concat(Packages.Select(p => GatherSources.SplitNameArch(p).Name))
            .Concat(Prepopulate.Select(p => GatherSources.SplitNameArch(p).Name))
            .Append(DepsolveResolver.SystemRelease);
}

/// <summary>
/// The repos source's per-arch pull with the native depsolver, as upstream runs
/// <c>pungi-gather --selfhosting --fulltree --greedy=none --arch=&lt;arch&gt; --multilib=all</c> over
/// <c>pkgset_repos[arch] + pkgset_repos["*"]</c> (spec §2.2.2): everything the wanted packages and groups need at run
/// time, every sibling built from the same SRPMs (fulltree), the build dependencies of those SRPMs (selfhosting), the
/// multilib packages of all of them (multilib method <c>all</c>), and the SRPMs and debuginfo pungi-gather downloads.
/// Upstream downloads the result into <c>work/global/download/</c>; here the files stay where they are.
/// </summary>
public sealed class DepsolveResolver : IPackageSetResolver
{
    /// <summary>Upstream always adds <c>system-release</c> to the kickstart's package list.</summary>
    public const string SystemRelease = "system-release";

    private readonly Func<string, PkgsetGatherInput> _inputFor;
    private readonly List<PkgsetWarning> _warnings = [];

    /// <param name="inputFor">The kickstart input of a tree arch.</param>
    public DepsolveResolver(Func<string, PkgsetGatherInput> inputFor) => _inputFor = inputFor;

    /// <summary>What pungi-gather only logs: patterns matching nothing, dependencies nothing provides.</summary>
    public IReadOnlyList<PkgsetWarning> Warnings => _warnings;

    /// <summary>The last depsolver answer per tree arch (for logs and <c>--why</c>-style questions).</summary>
    public Dictionary<string, GatherResult> Results { get; } = new(StringComparer.Ordinal);

    public IEnumerable<RpmPackage> Resolve(string treeArch, IReadOnlyList<RpmPackage> candidates)
    {
        var result = GatherEngine.Solve(Request(treeArch, candidates, _inputFor(treeArch)));
        Results[treeArch] = result;
        // system-release is the resolver's own line (no package may carry that name with greedy none): not the user's concern.
        foreach (var m in result.MissingPatterns.Where(m => m != SystemRelease))
            _warnings.Add(new PkgsetWarning(ErrorCodes.PkgsetDepsolveWarning, $"{treeArch}: no package matches pattern {m}"));
        foreach (var w in result.Warnings)
            _warnings.Add(new PkgsetWarning(ErrorCodes.PkgsetDepsolveWarning, $"{treeArch}: {w}"));
        // Upstream's pkgset only logs broken dependencies; Gather decides whether they are fatal (check_deps).
        foreach (var u in result.UnresolvedDependencies)
            _warnings.Add(new PkgsetWarning(ErrorCodes.PkgsetDepsolveWarning, $"{treeArch}: {u}"));
        return result.All.Where(g => !g.IsLookaside).Select(g => g.Package);
    }

    /// <summary>The pungi-gather run of one arch: the kickstart lines (groups expanded with their optional members) and the pkgset options.</summary>
    public static GatherRequest Request(string treeArch, IReadOnlyList<RpmPackage> candidates, PkgsetGatherInput input)
    {
        var ks = new VariantGatherInput();
        foreach (var g in input.Groups) ks.Groups.Add(g.Id);
        // Lines go to %packages verbatim (globs and name.arch included), so they are kept whole here.
        foreach (var p in input.Packages) ks.Packages.Add((p, null));
        ks.Packages.Add((SystemRelease, null));
        ks.Prepopulate.AddRange(input.Prepopulate);
        var (lines, conditional, _) = GatherSources.Kickstart(ks, input.Groups, "pkgset", treeArch);
        return new GatherRequest
        {
            Arch = treeArch,
            Repos = [new GatherRepo("repo-0", candidates)],
            Packages = lines,
            ConditionalPackages = conditional,
            Langpacks = input.Langpacks,
            Prepopulate = input.Prepopulate,
            Greedy = GreedyMethod.None,
            Fulltree = true,
            Selfhosting = true,
            MultilibMethods = ["all"],
        };
    }
}
