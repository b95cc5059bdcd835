using Pungi.Build.Rpm;

namespace Pungi.Build.Gather;

/// <summary>
/// One package in the depsolver's sack: where it came from, its load position (libsolv id) and the fields the solve
/// sorts and groups by; the whole RPM (dependencies, files) is read from its repository when first needed.
/// </summary>
internal sealed class PoolPackage
{
    private RpmPackage? _rpm;

    public PoolPackage(GatherRepo repo, int index, int id, PackageKey key)
    {
        Repo = repo;
        Index = index;
        Id = id;
        Name = key.Name;
        Arch = key.Arch;
        SourceRpm = key.SourceRpm;
        Version = key.Version;
        Release = key.Release;
        Evr = new Evr(key.Epoch, key.Version, key.Release);
        IsSource = Arch is "src" or "nosrc";
        IsDebug = !IsSource && DepsolvePatterns.IsDebugName(Name);
    }

    /// <summary>Position in the sack's processing order (name, EVR, arch, id): sorting by it is sorting by those keys.</summary>
    public int Rank { get; set; }

    /// <summary>The whole package, read from the repository once (concurrent readers get the same instance).</summary>
    public RpmPackage Rpm => _rpm ?? Interlocked.CompareExchange(ref _rpm, Repo.Packages[Index], null) ?? _rpm!;
    public GatherRepo Repo { get; }
    /// <summary>Position in <see cref="GatherRepo.Packages"/>.</summary>
    public int Index { get; }
    public int Id { get; }
    public string Name { get; }
    public string Arch { get; }
    public string SourceRpm { get; }
    public string Version { get; }
    public string Release { get; }
    public Evr Evr { get; }
    public bool IsLookaside => Repo.IsLookaside;
    public bool IsSource { get; }
    public bool IsDebug { get; }

    /// <summary><c>name-[e:]v-r</c> as hawkey formats <c>{name}-{evr}</c> (made when asked: few packages ever are).</summary>
    public string NameEvr => $"{Name}-{(string.IsNullOrEmpty(Evr.Epoch) || Evr.Epoch == "0" ? "" : Evr.Epoch + ":")}{Version}-{Release}";

    public override string ToString() => $"{Name}-{(string.IsNullOrEmpty(Evr.Epoch) || Evr.Epoch == "0" ? "" : Evr.Epoch + ":")}{Version}-{Release}.{Arch}";
}

/// <summary>Name globs and rules the DNF backend applies to package names.</summary>
internal static class DepsolvePatterns
{
    /// <summary>Pungi's <c>DEBUG_PATTERNS</c>.</summary>
    public static readonly string[] Debug = ["*-debuginfo", "*-debuginfo-*", "*-debugsource"];

    /// <remarks>Every debug glob needs <c>-debug</c> in the name: the substring test spares the glob matcher for all other names.</remarks>
    public static bool IsDebugName(string name) => name.Contains("-debug", StringComparison.Ordinal) && PackageGlob.MatchesAny(name, Debug);

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
/// <c>name = [e:]v-r</c> self-provide libsolv adds, and file provides from the file lists) for requirement lookups:
/// each repository's <see cref="SackIndex"/>, saved with a package set (<see cref="SackPackages"/>) or built in
/// memory for a list of packages.
/// </summary>
internal sealed class PackagePool
{
    private readonly List<(SackIndex Index, PoolPackage[] Packages)> _indexes = [];
    private readonly Dictionary<string, List<PoolPackage>> _byName = new(StringComparer.Ordinal);
    // Concurrent: the variants of an arch solve at once over one pool; the rest of the pool is read-only after construction.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, List<PoolPackage>> _whatProvidesCache = new(StringComparer.Ordinal);

    public PackagePool(IEnumerable<GatherRepo> repos)
    {
        // pungi-gather adds lookaside repos first, then the others; ids follow that order.
        var ordered = repos.Where(r => r.IsLookaside).Concat(repos.Where(r => !r.IsLookaside));
        var all = new List<PoolPackage>();
        foreach (var repo in ordered)
        {
            var sack = repo.Packages as SackPackages;
            var mine = new PoolPackage[repo.Packages.Count];
            for (int i = 0; i < mine.Length; i++)
                all.Add(mine[i] = new PoolPackage(repo, i, all.Count, sack is null ? PackageKey.Of(repo.Packages[i]) : sack.KeyAt(i)));
            _indexes.Add((sack?.Index ?? SackIndex.Build(repo.Packages, ""), mine));
        }
        Packages = all;
        // The depsolver sorts its result sets at every step of every pass; ranking the sack once by the same keys turns
        // each of those sorts (EVR comparisons over 20,000 packages) into an integer sort.
        var byKeys = all.OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Evr, Comparer<Evr>.Create(Evr.ComparePackages))
            .ThenBy(p => p.Arch, StringComparer.Ordinal)
            .ThenBy(p => p.Id);
        int rank = 0;
        foreach (var p in byKeys) p.Rank = rank++;
        foreach (var p in all)
        {
            if (!_byName.TryGetValue(p.Name, out var l)) _byName[p.Name] = l = [];
            l.Add(p);
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

    /// <summary>Packages with a provide named <paramref name="name"/> (any version), in sack order.</summary>
    public IEnumerable<PoolPackage> WithProvideNamed(string name)
    {
        foreach (var (index, packages) in _indexes)
            foreach (var (i, _) in index.Provides(name))
                yield return packages[i];
    }

    private IEnumerable<PoolPackage> Simple(Dependency req)
    {
        foreach (var (index, packages) in _indexes)
        {
            foreach (var (i, prov) in index.Provides(req.Name))
                if (prov.Overlaps(req)) yield return packages[i];
            // A file requirement is met by any package carrying the path (filelists are loaded).
            if (req.Name.StartsWith('/'))
                foreach (var i in index.FileOwners(req.Name)) yield return packages[i];
        }
    }
}
