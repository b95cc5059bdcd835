using Pungi.Build.Rpm;

namespace Pungi.Build.Gather;

/// <summary>One package in the depsolver's sack: the RPM, where it came from and its load position (libsolv id).</summary>
internal sealed class PoolPackage
{
    public PoolPackage(RpmPackage rpm, GatherRepo repo, int id)
    {
        Rpm = rpm;
        Repo = repo;
        Id = id;
        IsSource = rpm.IsSource;
        IsDebug = !IsSource && DepsolvePatterns.IsDebugName(rpm.Name);
        string epoch = string.IsNullOrEmpty(rpm.Epoch) || rpm.Epoch == "0" ? "" : rpm.Epoch + ":";
        NameEvr = $"{rpm.Name}-{epoch}{rpm.Version}-{rpm.Release}";
    }

    /// <summary>Position in the sack's processing order (name, EVR, arch, id): sorting by it is sorting by those keys.</summary>
    public int Rank { get; set; }

    public RpmPackage Rpm { get; }
    public GatherRepo Repo { get; }
    public int Id { get; }
    public string Name => Rpm.Name;
    public string Arch => Rpm.Arch;
    public string SourceRpm => Rpm.SourceRpm;
    public bool IsLookaside => Repo.IsLookaside;
    public bool IsSource { get; }
    public bool IsDebug { get; }

    /// <summary><c>name-[e:]v-r</c> as hawkey formats <c>{name}-{evr}</c>.</summary>
    public string NameEvr { get; }

    public override string ToString() => Rpm.Nevra;
}

/// <summary>Name globs and rules the DNF backend applies to package names.</summary>
internal static class DepsolvePatterns
{
    /// <summary>Pungi's <c>DEBUG_PATTERNS</c>.</summary>
    public static readonly string[] Debug = ["*-debuginfo", "*-debuginfo-*", "*-debugsource"];

    public static bool IsDebugName(string name) => PackageGlob.MatchesAny(name, Debug);

    /// <summary>
    /// <c>add_initial_packages</c> tests an include pattern with <c>re.match</c> of each debug glob with <c>*</c> →
    /// <c>.+</c>: anchored at the start only, so <c>foo-debuginfo.+</c> counts too.
    /// </summary>
    public static bool IncludeLooksDebug(string pattern)
    {
        int i = pattern.IndexOf("-debuginfo", StringComparison.Ordinal);
        if (i > 0) return true;
        i = pattern.IndexOf("-debugsource", StringComparison.Ordinal);
        return i > 0;
    }

    /// <summary><c>pkg_is_debug(pattern)</c> as excludes use it: source suffixes first, then the debug globs.</summary>
    public static bool ExcludeLooksDebug(string pattern)
    {
        foreach (var s in new[] { ".src", ".nosrc", ".src.rpm", ".nosrc.rpm" })
            if (pattern.EndsWith(s, StringComparison.Ordinal)) return false;
        return IsDebugName(pattern);
    }
}

/// <summary>
/// The sack: every package of every repository with a provides index (explicit provides, the implicit
/// <c>name = [e:]v-r</c> self-provide libsolv adds, and file provides from the file lists) for requirement lookups.
/// </summary>
internal sealed class PackagePool
{
    private readonly Dictionary<string, List<(PoolPackage Package, Dependency Provide)>> _provides = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<PoolPackage>> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<PoolPackage>> _byName = new(StringComparer.Ordinal);
    // Concurrent: the variants of an arch solve at once over one pool; the rest of the pool is read-only after construction.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, List<PoolPackage>> _whatProvidesCache = new(StringComparer.Ordinal);

    public PackagePool(IEnumerable<GatherRepo> repos)
    {
        // pungi-gather adds lookaside repos first, then the others; ids follow that order.
        var ordered = repos.Where(r => r.IsLookaside).Concat(repos.Where(r => !r.IsLookaside));
        var all = new List<PoolPackage>();
        foreach (var repo in ordered)
            foreach (var rpm in repo.Packages)
                all.Add(new PoolPackage(rpm, repo, all.Count));
        Packages = all;
        // The depsolver sorts its result sets at every step of every pass; ranking the sack once by the same keys turns
        // each of those sorts (EVR comparisons over 20,000 packages) into an integer sort.
        var byKeys = all.OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Rpm.Evr, Comparer<Evr>.Create(Evr.ComparePackages))
            .ThenBy(p => p.Arch, StringComparer.Ordinal)
            .ThenBy(p => p.Id);
        int rank = 0;
        foreach (var p in byKeys) p.Rank = rank++;

        foreach (var p in all)
        {
            Add(_byName, p.Name, p);
            if (p.IsSource) continue; // source packages never provide anything to binaries
            bool self = false;
            foreach (var prov in p.Rpm.Provides)
            {
                AddProvide(prov.Name, p, prov);
                if (prov.Name == p.Name) self = true;
            }
            if (!self)
                AddProvide(p.Name, p, new Dependency(p.Name, DependencyFlags.Equal, p.Rpm.Evr.ToString()));
            foreach (var f in p.Rpm.Files)
                Add(_files, f.Path, p);
        }
    }

    public IReadOnlyList<PoolPackage> Packages { get; }

    public IReadOnlyList<PoolPackage> ByName(string name) => _byName.TryGetValue(name, out var l) ? l : [];

    /// <summary>Packages whose name matches a glob (exact lookup when it is no glob), in sack order.</summary>
    public IEnumerable<PoolPackage> ByNameGlob(string glob)
        => PackageGlob.IsGlob(glob) ? Packages.Where(p => PackageGlob.IsMatch(p.Name, glob)) : ByName(glob);

    /// <summary>Every package (any repo, any arch) that satisfies <paramref name="req"/>, in sack order.</summary>
    public IReadOnlyList<PoolPackage> WhatProvides(Dependency req)
    {
        string key = req.ToString();
        if (_whatProvidesCache.TryGetValue(key, out var cached)) return cached;
        HashSet<PoolPackage> set;
        if (req.IsRich)
        {
            // An expression that does not parse has no provider, so it is reported as unresolvable.
            set = RichDependency.TryParse(req.Name, out var rich) && rich is not null ? RichProviders.Of(rich, Simple) : [];
        }
        else
        {
            set = [.. Simple(req)];
        }
        var list = set.OrderBy(p => p.Id).ToList();
        return _whatProvidesCache.GetOrAdd(key, list);
    }

    private IEnumerable<PoolPackage> Simple(Dependency req)
    {
        if (_provides.TryGetValue(req.Name, out var provs))
            foreach (var (pkg, prov) in provs)
                if (prov.Overlaps(req)) yield return pkg;
        // A file requirement is met by any package carrying the path (filelists are loaded).
        if (req.Name.StartsWith('/') && _files.TryGetValue(req.Name, out var owners))
            foreach (var pkg in owners) yield return pkg;
    }

    private void AddProvide(string name, PoolPackage p, Dependency prov)
    {
        if (!_provides.TryGetValue(name, out var l)) _provides[name] = l = [];
        l.Add((p, prov));
    }

    private static void Add(Dictionary<string, List<PoolPackage>> d, string key, PoolPackage p)
    {
        if (!d.TryGetValue(key, out var l)) d[key] = l = [];
        if (l.Count == 0 || !ReferenceEquals(l[^1], p)) l.Add(p);
    }
}
