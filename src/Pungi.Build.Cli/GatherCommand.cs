using Pungi.Build.Comps;
using Pungi.Build.Diagnostics;
using Pungi.Build.Gather;
using Pungi.Build.Rpm;

namespace Pungi.Build.Cli;

/// <summary>
/// <c>pungi-build gather</c>: the Gather phase's depsolver on the command line. It builds the same
/// <see cref="GatherRequest"/> the phase builds (kickstart lines from <see cref="GatherSources.Kickstart"/>, main repos
/// then lookaside repos) and runs <see cref="GatherEngine.Solve"/>, or <see cref="NodepsGather"/> with
/// <c>--nodeps</c>; it never depsolves by itself. Exit codes: 0 done, 1 unresolved dependencies with
/// <c>--check-deps</c>, 2 bad arguments or unreadable input (a <c>PUNGI####</c> message on stderr).
/// </summary>
internal static class GatherCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        GatherOptions o;
        GatherOutcome outcome;
        try
        {
            o = GatherOptions.Parse(args);
            if (o.Help)
            {
                stdout.WriteLine(GatherOptions.Usage);
                return 0;
            }
            outcome = o.Nodeps ? RunNodeps(o) : RunDeps(o);
        }
        catch (PungiException e)
        {
            stderr.WriteLine($"pungi-build gather: {e}");
            if (e is UsageException) stderr.WriteLine("(pungi-build gather --help lists the options)");
            return 2;
        }

        foreach (var w in outcome.Warnings) stderr.WriteLine($"pungi-build gather: warning: {w}");
        if (o.Why is not null) GatherOutput.WriteWhy(stdout, o.Why, outcome);
        else if (o.Json) GatherOutput.WriteJson(stdout, outcome);
        else GatherOutput.WriteText(stdout, outcome);
        stdout.Flush();

        if (o.CheckDeps && outcome.Unresolved.Count > 0)
        {
            stderr.WriteLine($"pungi-build gather: {outcome.Unresolved.Count} unresolved dependencies (--check-deps)");
            return 1;
        }
        return 0;
    }

    /// <summary>The deps method: what <c>GatherPhase</c> does for one variant.arch, with the inputs from the command line.</summary>
    private static GatherOutcome RunDeps(GatherOptions o)
    {
        var arches = new GatherArches(o.Arch!); // an unknown arch fails here, before any repository is read
        var comps = o.Comps is null ? null : CompsModel.Load(o.Comps);
        var groups = GroupsOf(comps, o);
        var origins = InputOrigins.From(o, groups);

        var input = new VariantGatherInput();
        input.Groups.UnionWith(o.Groups);
        foreach (var p in o.Packages)
        {
            if (p.StartsWith('-')) input.Filters.Add(GatherSources.SplitNameArch(p[1..]));
            else input.Packages.Add(GatherSources.SplitNameArch(p));
        }
        input.Prepopulate.AddRange(o.Prepopulate);
        var (lines, conditional, _) = GatherSources.Kickstart(input, groups, "pungi-build", arches.TreeArch);

        // Repository ids as the phase's kickstart names them; lookaside repos are loaded first by the engine.
        var repos = new List<GatherRepo>();
        for (int i = 0; i < o.Repos.Count; i++)
            repos.Add(new GatherRepo($"pungi-repo-{i}", RepositoryLoader.Load(o.Repos[i]).Select(p => p.Package).ToList()));
        for (int i = 0; i < o.Lookaside.Count; i++)
            repos.Add(new GatherRepo($"lookaside-repo-{i}", RepositoryLoader.Load(o.Lookaside[i]).Select(p => p.Package).ToList(), IsLookaside: true));

        var result = GatherEngine.Solve(new GatherRequest
        {
            Arch = arches.TreeArch,
            Repos = repos,
            Packages = lines,
            ConditionalPackages = conditional,
            Langpacks = o.Langpacks && comps is not null ? comps.Langpacks.Select(kv => new LangpackMatch(kv.Key, kv.Value)).ToList() : [],
            Prepopulate = input.Prepopulate,
            Greedy = o.Greedy,
            Fulltree = o.Fulltree,
            FulltreeExcludes = new HashSet<string>(o.FulltreeExcludes, StringComparer.Ordinal),
            Selfhosting = o.Selfhosting,
            ExcludeSource = o.ExcludeSource,
            ExcludeDebug = o.ExcludeDebug,
            MultilibMethods = o.Multilib,
            MultilibBlacklist = o.MultilibBlacklist,
            MultilibWhitelist = o.MultilibWhitelist,
        });

        var warnings = new List<string>();
        warnings.AddRange(result.MissingPatterns.Select(p => $"No package matches pattern {p}"));
        warnings.AddRange(result.Warnings);
        warnings.AddRange(result.UnresolvedDependencies.Select(u => u.ToString()));

        static IEnumerable<Selected> Sel(IEnumerable<GatheredPackage> l) => l.Select(g => new Selected(g.Package, g.FlagNames, g.IsLookaside));
        return new GatherOutcome
        {
            Rpm = Sel(result.Rpm).ToList(),
            Srpm = Sel(result.Srpm).ToList(),
            Debuginfo = Sel(result.Debuginfo).ToList(),
            Unresolved = result.UnresolvedDependencies,
            Warnings = warnings,
            Available = repos.SelectMany(r => r.Packages).ToList(),
            Chain = pkg => result.Why(pkg.Nevra)
                .Select(step => (step.Package, Describe(step.Reason, step.Package, origins)))
                .Reverse().ToList(),
            Origin = pkg => origins.Describe(pkg),
            ReasonOf = pkg => result.Reasons.TryGetValue(pkg, out var r) ? Describe(r, pkg, origins) : "",
        };
    }

    /// <summary>The nodeps method as the phase runs it: groups expanded to all members for the tree arch, names split by arch.</summary>
    private static GatherOutcome RunNodeps(GatherOptions o)
    {
        var arches = new GatherArches(o.Arch!);
        var comps = o.Comps is null ? null : CompsModel.Load(o.Comps);
        var groups = GroupsOf(comps, o);
        var origins = InputOrigins.From(o, groups);

        var requests = NodepsGather.ExpandGroups(arches.TreeArch, o.Groups, [groups]).ToList();
        requests.AddRange(o.Packages.Select(p => GatherSources.ParseAdditional(p, arches.TreeArch)).Distinct()
            .Select(p => new NodepsRequest(p.Name, null, p.Arch)));

        // The phase runs nodeps on the arch's package set, which Pkgset cut to the tree's valid arches (spec §2.2,
        // get_valid_arches); a repository holds every arch, so cut it the same way, multilib arches included as the
        // deps engine's sack includes them.
        var valid = new HashSet<string>(GatherArches.ValidArches(arches.TreeArch, multilib: true, addSource: true), StringComparer.Ordinal);
        var all = o.Repos.SelectMany(RepositoryLoader.Load).Where(p => valid.Contains(p.Package.Arch)).ToList();
        var byPath = new Dictionary<string, RpmPackage>(StringComparer.Ordinal);
        foreach (var p in all) byPath.TryAdd(p.Path, p.Package);
        var map = NodepsGather.Solve(arches.TreeArch, requests, [all.Select(p => new PackageFileRef(p.Package, p.Path)).ToList()]);

        List<Selected> Sel(List<PackageEntry> l) => l.Select(e => new Selected(byPath[e.Path], e.Flags, false)).ToList();
        var rpm = Sel(map.Rpm);
        var reasons = new Dictionary<RpmPackage, string>(ReferenceEqualityComparer.Instance);
        foreach (var s in rpm) reasons.TryAdd(s.Package, "input (nodeps: " + origins.Describe(s.Package) + ")");
        var srpm = Sel(map.Srpm);
        foreach (var s in srpm) reasons.TryAdd(s.Package, "source of a selected package (nodeps)");
        var debug = Sel(map.Debuginfo);
        foreach (var s in debug) reasons.TryAdd(s.Package, "debuginfo of a selected package (nodeps)");
        var warnings = requests.Where(r => r.Pattern is not null && !rpm.Any(s => PackageGlob.IsMatch(s.Package.Name, r.Pattern)))
            .Select(r => r.Pattern).Distinct().Select(p => $"No package matches pattern {p}").ToList();
        return new GatherOutcome
        {
            Rpm = rpm,
            Srpm = srpm,
            Debuginfo = debug,
            Unresolved = [],
            Warnings = warnings,
            Available = all.Select(p => p.Package).ToList(),
            Chain = pkg => [(pkg, reasons.GetValueOrDefault(pkg, "input"))],
            Origin = pkg => origins.Describe(pkg),
            ReasonOf = pkg => reasons.GetValueOrDefault(pkg, ""),
        };
    }

    /// <summary>The comps groups as the phase hands them to gather; every --group must be among them.</summary>
    private static List<GatherGroup> GroupsOf(CompsModel? comps, GatherOptions o)
    {
        var groups = comps?.Groups.Select(g => new GatherGroup(g.Id, g.Packages.Select(p => new GatherGroupPackage(p.Name, p.TypeName, p.Requires)).ToList())).ToList()
            ?? [];
        foreach (var id in o.Groups)
            if (!groups.Any(g => g.Id == id))
                throw new PungiException(ErrorCodes.GatherCliGroupNotFound,
                    $"group '{id}' is not in {o.Comps}; its groups are: {string.Join(", ", groups.Select(g => g.Id))}", o.Comps);
        return groups;
    }

    private static string Describe(GatherReason reason, RpmPackage pkg, InputOrigins origins)
        => reason.Kind is "input" or "prepopulate" ? $"{reason.Kind} ({origins.Describe(pkg)})" : reason.ToString();
}

/// <summary>One selected package with its flags; lookaside ones are left out of every output.</summary>
internal sealed record Selected(RpmPackage Package, IReadOnlyList<string> Flags, bool IsLookaside);

/// <summary>What a gather run selected, in the shape every output format needs.</summary>
internal sealed class GatherOutcome
{
    public required List<Selected> Rpm { get; init; }
    public required List<Selected> Srpm { get; init; }
    public required List<Selected> Debuginfo { get; init; }
    public required IReadOnlyList<UnresolvedDependency> Unresolved { get; init; }
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>Every package the repositories offered, to tell "not pulled in" from "not there".</summary>
    public required IReadOnlyList<RpmPackage> Available { get; init; }

    /// <summary>The chain that pulled a package in, root (an input) first, each step with its reason.</summary>
    public required Func<RpmPackage, IReadOnlyList<(RpmPackage Package, string Reason)>> Chain { get; init; }

    /// <summary>Where an input package was asked for (a group, a PACKAGE argument, prepopulate).</summary>
    public required Func<RpmPackage, string> Origin { get; init; }

    public required Func<RpmPackage, string> ReasonOf { get; init; }
}

/// <summary>Which input line asked for a package: a comps group member or a PACKAGE argument.</summary>
internal sealed class InputOrigins
{
    private readonly List<(string Glob, string? Arch, string Origin)> _lines = [];

    public static InputOrigins From(GatherOptions o, IReadOnlyList<GatherGroup> groups)
    {
        var r = new InputOrigins();
        foreach (var id in o.Groups)
            foreach (var p in groups.First(g => g.Id == id).Packages)
                r._lines.Add((p.Name, null, $"comps group '{id}', {p.Type}"));
        foreach (var p in o.Packages.Where(p => !p.StartsWith('-')))
        {
            string glob = p, origin = $"PACKAGE '{p}'";
            string? arch = null;
            if (p.EndsWith(".+", StringComparison.Ordinal)) glob = p[..^2];
            else (glob, arch) = GatherSources.SplitNameArch(p);
            r._lines.Add((glob, arch, origin));
        }
        foreach (var p in o.Prepopulate)
        {
            var (name, arch) = GatherSources.SplitNameArch(p);
            r._lines.Add((name, arch, $"--prepopulate {p}"));
        }
        return r;
    }

    public string Describe(RpmPackage pkg)
    {
        var hits = _lines.Where(l => PackageGlob.IsMatch(pkg.Name, l.Glob) && (l.Arch is null || l.Arch == pkg.Arch || pkg.Arch == "noarch"))
            .Select(l => l.Origin).Distinct().ToList();
        return hits.Count == 0 ? "input" : string.Join("; ", hits);
    }
}
