using Pungi.Build.Diagnostics;
using Pungi.Build.Rpm;

namespace Pungi.Build.Gather;

/// <summary>
/// The <c>deps</c> gather method: Pungi's DNF depsolver (<c>pungi/gather_dnf.py</c>, spec §3.4) step by step —
/// excludes first (never on lookaside) and latest per name.arch, the initial and prepopulated packages, then the
/// fixed-point loop (conditional, binary deps, source deps, SRPMs, debuginfo, debug deps, fulltree, langpacks,
/// multilib) that restarts after any step adds something. Pure and deterministic.
/// </summary>
/// <summary>
/// The depsolver's sack for a list of repositories, built once and shared by the solves over the same repositories
/// (every variant of an arch with the same lookaside repos): its provides and file index of 20,000 packages took a
/// quarter of a second to build per variant. Solves may use it at the same time.
/// </summary>
public sealed class GatherSack
{
    public GatherSack(IReadOnlyList<GatherRepo> repos)
    {
        Repos = repos;
        Pool = new PackagePool(repos);
    }

    /// <summary>The repositories it was built from: a request solved over the sack names exactly these.</summary>
    public IReadOnlyList<GatherRepo> Repos { get; }

    internal PackagePool Pool { get; }
}

/// <summary>See <see cref="GatherEngine.DescribeInitial"/>.</summary>
public sealed record InitialSelection(IReadOnlyList<string> Pairs, IReadOnlyList<string> MissingPatterns);

public static class GatherEngine
{
    /// <summary>
    /// The initial selection of a request described from the pool's names and arches, without the packages: for each
    /// include line, the (queue, name) pairs its glob matches, sorted; and the lines that match nothing. The initial
    /// packages are the best package per matched name of its queue, and the solve goes on from them in a fixed
    /// (sorted) order, so two requests over the same pool with equal pairs and equal other inputs (conditional,
    /// langpacks, prepopulate, options) give the same answer. Null when the request depends on more than names
    /// (excludes, a multilib blacklist, system-release under greedy all).
    /// </summary>
    public static InitialSelection? DescribeInitial(GatherRequest request, IReadOnlyList<(string Name, string Arch)> pool)
        => DnfGather.DescribeInitial(request, pool);

    /// <param name="sack">A sack built for <paramref name="request"/>'s repositories, shared with other solves over them; null builds one.</param>
    public static GatherResult Solve(GatherRequest request, GatherSack? sack = null) => new DnfGather(request, sack).Run();
}

internal sealed class DnfGather
{
    private readonly GatherRequest _opts;
    private readonly GatherArches _arches;
    private readonly PackagePool _pool;
    private readonly Multilib _multilib;
    private readonly bool _haveLookaside;
    private readonly HashSet<string> _lookasideNvras = new(StringComparer.Ordinal);

    // Queues (hawkey queries) as membership sets.
    private HashSet<PoolPackage> _qSource, _qBinary, _qNativeBinary, _qMultilibBinary, _qNoarchBinary, _qDebug,
        _qNativeDebug, _qMultilibDebug;

    // Query caches built once after the excludes (init_query_cache).
    private Dictionary<(string, string, string), List<PoolPackage>> _sourceByNvr = [];
    private Dictionary<string, List<PoolPackage>> _nativeDebugBySrpm = [], _multilibDebugBySrpm = [];
    private Dictionary<string, List<PoolPackage>> _nativeBySrpm = [], _multilibBySrpm = [], _noarchBySrpm = [];
    private Dictionary<(string, string, string), List<PoolPackage>> _multilibByNvr = [];
    private Dictionary<(string, string), List<PoolPackage>> _prepopulate = [];

    // Progress bookkeeping, as the finished_* dictionaries upstream.
    private readonly Dictionary<PoolPackage, List<(PoolPackage, Dependency)>> _doneBinaryDeps = [], _doneDebugDeps = [];
    private readonly Dictionary<PoolPackage, List<PoolPackage>> _doneSourceDeps = [], _doneConditional = [], _doneDebugPkgs = [],
        _doneFulltree = [], _doneLangpack = [];
    private readonly Dictionary<PoolPackage, PoolPackage?> _doneSourcePkgs = [], _doneMultilib = [];
    private readonly Dictionary<string, PoolPackage> _sourcerpmCache = new(StringComparer.Ordinal);

    // The global requirement → providers cache, keyed by the requirement's string, shared by binary and debug lookups.
    private readonly Dictionary<string, List<PoolPackage>> _reqCache = new(StringComparer.Ordinal);

    private readonly HashSet<PoolPackage> _resultBinary = [], _resultDebug = [], _resultSource = [];
    private readonly Dictionary<PoolPackage, PackageFlags> _flags = [];
    private readonly Dictionary<PoolPackage, GatherReason> _reasons = [];
    private readonly List<UnresolvedDependency> _unresolved = [];
    private readonly HashSet<(string, string)> _unresolvedSeen = [];
    private readonly List<string> _missing = [], _warnings = [];

    public DnfGather(GatherRequest request, GatherSack? sack = null)
    {
        if (sack is not null && !ReferenceEquals(sack.Repos, request.Repos))
            throw new ArgumentException("the sack was built for other repositories than the request's", nameof(sack));
        _opts = request;
        _arches = new GatherArches(request.Arch);
        _pool = sack?.Pool ?? new PackagePool(request.Repos);
        _multilib = new Multilib(request.MultilibMethods, request.MultilibBlacklist, request.MultilibWhitelist);
        _haveLookaside = request.Repos.Any(r => r.IsLookaside);
        foreach (var p in _pool.Packages.Where(p => p.IsLookaside)) _lookasideNvras.Add(Nvra(p));

        var all = new HashSet<string>(_arches.AllArches, StringComparer.Ordinal);
        var native = new HashSet<string>(_arches.NativeArches, StringComparer.Ordinal);
        _qSource = [.. _pool.Packages.Where(p => p.Arch is "src" or "nosrc")];
        _qBinary = []; _qNativeBinary = []; _qMultilibBinary = []; _qNoarchBinary = [];
        _qDebug = []; _qNativeDebug = []; _qMultilibDebug = [];
        foreach (var p in _pool.Packages)
        {
            var queues = QueuesOf(p.Name, p.Arch, all, native);
            if ((queues & Queues.Binary) != 0) _qBinary.Add(p);
            if ((queues & Queues.NativeBinary) != 0) _qNativeBinary.Add(p);
            if ((queues & Queues.MultilibBinary) != 0) _qMultilibBinary.Add(p);
            if ((queues & Queues.NoarchBinary) != 0) _qNoarchBinary.Add(p);
            if ((queues & Queues.Debug) != 0) _qDebug.Add(p);
            if ((queues & Queues.NativeDebug) != 0) _qNativeDebug.Add(p);
            if ((queues & Queues.MultilibDebug) != 0) _qMultilibDebug.Add(p);
        }
    }

    /// <summary>The binary queues of <c>_setup</c> (<c>q_binary_packages</c>, ...), as flags of one package.</summary>
    [Flags]
    internal enum Queues
    {
        None = 0, Binary = 1, NativeBinary = 2, MultilibBinary = 4, NoarchBinary = 8, Debug = 16, NativeDebug = 32, MultilibDebug = 64,
    }

    /// <summary>
    /// Which queues a package of this name and arch is in: binaries of the tree's arches, native ones, multilib ones
    /// (not native, or noarch), noarch ones, each split into debug and non-debug by name. Sources are in none.
    /// </summary>
    internal static Queues QueuesOf(string name, string arch, HashSet<string> allArches, HashSet<string> nativeArches)
    {
        if (arch is "src" or "nosrc" || !allArches.Contains(arch)) return Queues.None;
        bool isNative = nativeArches.Contains(arch), isMultilib = !isNative || arch == "noarch";
        if (DepsolvePatterns.IsDebugName(name))
            return Queues.Debug | (isNative ? Queues.NativeDebug : 0) | (isMultilib ? Queues.MultilibDebug : 0);
        return Queues.Binary | (isNative ? Queues.NativeBinary : 0) | (isMultilib ? Queues.MultilibBinary : 0)
            | (arch == "noarch" ? Queues.NoarchBinary : 0);
    }

    /// <summary>The queue an include line is matched against, and whether it asks for debuginfo.</summary>
    private static (Queues Queue, bool Debuginfo, string Glob) IncludeQueue(string pattern)
    {
        bool debuginfo = DepsolvePatterns.IncludeLooksDebug(pattern);
        bool multilibOnly = pattern.EndsWith(".+", StringComparison.Ordinal);
        var queue = debuginfo ? multilibOnly ? Queues.MultilibDebug : Queues.Debug
            : multilibOnly ? Queues.MultilibBinary : Queues.Binary;
        return (queue, debuginfo, multilibOnly ? pattern[..^2] : pattern);
    }

    /// <summary>
    /// What <c>add_initial_packages</c> of a request depends on, from names and arches alone (see
    /// <see cref="GatherEngine.DescribeInitial"/>); null when the request has excludes, a multilib blacklist or
    /// <c>system-release</c> under greedy all, which depend on more.
    /// </summary>
    internal static InitialSelection? DescribeInitial(GatherRequest request, IReadOnlyList<(string Name, string Arch)> pool)
    {
        if (request.MultilibBlacklist.Count > 0) return null;
        if (request.Packages.Any(p => p.StartsWith('-') || (p == "system-release" && request.Greedy == GreedyMethod.All))) return null;
        var arches = new GatherArches(request.Arch);
        var all = new HashSet<string>(arches.AllArches, StringComparer.Ordinal);
        var native = new HashSet<string>(arches.NativeArches, StringComparer.Ordinal);
        // Latest per name.arch never empties a name, and with no excludes nothing else does: a name is in a queue
        // exactly when some package of that name and a fitting arch is in the pool.
        var names = new Dictionary<string, Queues>(pool.Count, StringComparer.Ordinal);
        foreach (var (name, arch) in pool)
            names[name] = names.GetValueOrDefault(name) | QueuesOf(name, arch, all, native);
        var pairs = new List<string>(names.Count);
        var missing = new List<string>();
        foreach (var pattern in request.Packages)
        {
            var (queue, debuginfo, glob) = IncludeQueue(pattern);
            // The best package of a name depends on the queue and on whether debuginfo was asked for.
            var head = $"{queue}|{debuginfo}|";
            int before = pairs.Count;
            if (PackageGlob.IsGlob(glob))
            {
                var isMatch = PackageGlob.For(glob);
                foreach (var (name, queues) in names)
                    if ((queues & queue) != 0 && isMatch(name)) pairs.Add(head + name);
            }
            else if (names.TryGetValue(glob, out var q) && (q & queue) != 0)
            {
                pairs.Add(head + glob);
            }
            if (pairs.Count == before) missing.Add(pattern);
        }
        // Sorted and distinct (a sort once, not a sorted set kept through 20,000 inserts).
        pairs.Sort(StringComparer.Ordinal);
        var distinct = new List<string>(pairs.Count);
        foreach (var p in pairs)
            if (distinct.Count == 0 || !string.Equals(distinct[^1], p, StringComparison.Ordinal)) distinct.Add(p);
        return new InitialSelection(distinct, missing);
    }

    public GatherResult Run()
    {
        var (added, addedDebug) = AddInitialPackages();
        foreach (var p in Sorted(added)) AddPackage(p, _resultBinary, new GatherReason("input"));
        foreach (var p in Sorted(addedDebug)) AddPackage(p, _resultDebug, new GatherReason("input"));
        foreach (var p in Sorted(AddPrepopulatePackages())) AddPackage(p, _resultBinary, new GatherReason("prepopulate"));

        while (true)
        {
            if (AddConditionalPackages()) continue;
            if (AddBinaryPackageDeps()) continue;
            if (AddSourcePackageDeps()) continue;
            if (AddSourcePackages()) continue;
            if (AddDebugPackages()) continue;
            if (AddDebugPackageDeps()) continue;
            if (AddFulltreePackages()) continue;
            if (AddLangpackPackages()) continue;
            if (AddMultilibPackages()) continue;
            break;
        }
        return BuildResult();
    }

    // ---- Step A: excludes, then latest per name.arch ----

    private void ApplyExcludes(List<string> excludes)
    {
        var exclude = new HashSet<PoolPackage>();
        foreach (var pattern in excludes)
        {
            IEnumerable<PoolPackage> pkgs;
            if (pattern.EndsWith(".+", StringComparison.Ordinal))
                pkgs = Glob(_qMultilibBinary, pattern[..^2]).Where(p => p.Arch != "noarch" && !p.IsLookaside);
            else if (pattern.EndsWith(".src", StringComparison.Ordinal))
                pkgs = Glob(_qSource, pattern[..^4]).Where(p => !p.IsLookaside);
            else if (DepsolvePatterns.ExcludeLooksDebug(pattern))
                pkgs = Glob(_qDebug, pattern).Where(p => !p.IsLookaside);
            else
                pkgs = Glob(_qBinary, pattern).Where(p => !p.IsLookaside);
            exclude.UnionWith(pkgs);
        }
        // multilib_blacklist removes multilib packages from the universe, lookaside included.
        foreach (var pattern in _opts.MultilibBlacklist)
            exclude.UnionWith(Glob(_qMultilibBinary, pattern).Where(p => p.Arch != "noarch"));

        // latest() per queue, computed once over the sack: a queue holds every package of a name.arch or none (its
        // membership depends on name and arch alone, QueuesOf), so the latest of a name.arch in a queue is its latest.
        var latest = Latest(_pool.Packages, exclude);
        HashSet<PoolPackage> Keep(HashSet<PoolPackage> queue) => [.. queue.Where(latest.Contains)];
        _qBinary = Keep(_qBinary);
        _qNativeBinary = Keep(_qNativeBinary);
        _qMultilibBinary = Keep(_qMultilibBinary);
        _qNoarchBinary = Keep(_qNoarchBinary);
        _qSource = Keep(_qSource);
        _qNativeDebug = Keep(_qNativeDebug);
        _qMultilibDebug = Keep(_qMultilibDebug);
        // q_debug_packages is not in upstream's list of filtered queues: it keeps excluded and older packages, and
        // only best_package's intersection with the native/multilib debug queues hides them.
    }

    /// <summary>hawkey <c>latest()</c>: per (name, arch) keep the packages with the highest EVR (ties kept).</summary>
    private static HashSet<PoolPackage> Latest(IEnumerable<PoolPackage> queue, HashSet<PoolPackage> exclude)
    {
        var result = new HashSet<PoolPackage>();
        foreach (var group in queue.Where(p => !exclude.Contains(p)).GroupBy(p => (p.Name, p.Arch)))
        {
            var best = new List<PoolPackage>();
            foreach (var p in group)
            {
                int c = best.Count == 0 ? 1 : Evr.ComparePackages(p.Evr, best[0].Evr);
                if (c > 0) { best.Clear(); best.Add(p); }
                else if (c == 0) best.Add(p);
            }
            result.UnionWith(best);
        }
        return result;
    }

    private void InitQueryCache()
    {
        _sourceByNvr = Index(_qSource, p => (p.Name, p.Version, p.Release));
        _nativeDebugBySrpm = Index(_qNativeDebug, p => p.SourceRpm);
        _multilibDebugBySrpm = Index(_qMultilibDebug, p => p.SourceRpm);
        _nativeBySrpm = Index(_qNativeBinary.Where(p => p.Arch != "noarch"), p => p.SourceRpm);
        _multilibBySrpm = Index(_qMultilibBinary.Where(p => p.Arch != "noarch"), p => p.SourceRpm);
        _noarchBySrpm = Index(_qNativeBinary.Where(p => p.Arch == "noarch"), p => p.SourceRpm);
        _multilibByNvr = Index(_qMultilibBinary.Where(p => p.Arch != "noarch"), p => (p.Name, p.Version, p.Release));
        _prepopulate = Index(_qBinary, p => (p.Name, p.Arch));
    }

    private static Dictionary<TKey, List<PoolPackage>> Index<TKey>(IEnumerable<PoolPackage> queue, Func<PoolPackage, TKey> key)
        where TKey : notnull
    {
        var d = new Dictionary<TKey, List<PoolPackage>>();
        foreach (var p in queue.OrderBy(p => p.Id))
        {
            var k = key(p);
            if (!d.TryGetValue(k, out var l)) d[k] = l = [];
            l.Add(p);
        }
        return d;
    }

    // ---- Step B and C: input and prepopulate ----

    private (HashSet<PoolPackage> Added, HashSet<PoolPackage> AddedDebug) AddInitialPackages()
    {
        var excludes = new List<string>();
        var includes = new List<string>();
        foreach (var pattern in _opts.Packages)
        {
            if (pattern.StartsWith('-')) excludes.Add(pattern[1..]);
            else includes.Add(pattern);
        }
        ApplyExcludes(excludes);
        InitQueryCache();

        var added = new HashSet<PoolPackage>();
        var addedDebug = new HashSet<PoolPackage>();
        foreach (var pattern in includes)
        {
            bool debuginfo = false;
            List<PoolPackage> pkgs;
            if (pattern == "system-release" && _opts.Greedy == GreedyMethod.All)
            {
                pkgs = InQueue(_pool.WhatProvides(new Dependency("system-release")), _qBinary);
            }
            else
            {
                var (which, debug, glob) = IncludeQueue(pattern);
                debuginfo = debug;
                var queue = which switch
                {
                    Queues.MultilibDebug => _qMultilibDebug,
                    Queues.Debug => _qDebug,
                    Queues.MultilibBinary => _qMultilibBinary,
                    _ => _qBinary,
                };
                pkgs = Glob(queue, glob).ToList();
            }
            if (pkgs.Count == 0)
            {
                _missing.Add(pattern); // "No package matches pattern …", an error line but not fatal
                continue;
            }
            // A glob may match many names: the best package is chosen per name.
            foreach (var byName in pkgs.GroupBy(p => p.Name))
            {
                var best = BestPackage(byName.ToList(), debuginfo: debuginfo);
                (debuginfo ? addedDebug : added).UnionWith(best);
            }
        }
        foreach (var p in added.Concat(addedDebug)) SetFlag(p, PackageFlags.Input);
        return (added, addedDebug);
    }

    private HashSet<PoolPackage> AddPrepopulatePackages()
    {
        var added = new HashSet<PoolPackage>();
        foreach (var nameArch in _opts.Prepopulate)
        {
            int dot = nameArch.LastIndexOf('.');
            var pkgs = dot < 0 ? null : _prepopulate.GetValueOrDefault((nameArch[..dot], nameArch[(dot + 1)..]));
            var best = pkgs is null ? [] : BestPackage(pkgs);
            if (best.Count > 0) added.UnionWith(best);
            else _warnings.Add($"Prepopulate: Doesn't match: {nameArch}");
        }
        foreach (var p in added) SetFlag(p, PackageFlags.Prepopulate);
        return added;
    }

    // ---- Step D: the fixed-point loop ----

    private bool AddConditionalPackages()
    {
        if (!_opts.ResolveDeps) return false;
        bool added = false;
        foreach (var pkg in Sorted(_resultBinary))
        {
            if (!_doneConditional.TryGetValue(pkg, out var deps))
            {
                deps = [];
                foreach (var cond in _opts.ConditionalPackages)
                {
                    if (cond.Requires != pkg.Name) continue;
                    foreach (var d in BestPackage(InQueue(_pool.ByName(cond.Install), _qBinary)))
                        if (!deps.Contains(d)) deps.Add(d);
                }
                _doneConditional[pkg] = deps;
            }
            foreach (var i in deps)
            {
                if (_resultBinary.Contains(i)) continue;
                AddPackage(i, _resultBinary, new GatherReason("conditional", pkg.Rpm));
                SetFlag(pkg, PackageFlags.Conditional);
                added = true;
            }
        }
        return added;
    }

    private bool AddBinaryPackageDeps()
    {
        if (!_opts.ResolveDeps) return false;
        bool added = false;
        foreach (var pkg in Sorted(_resultBinary))
        {
            if (_doneBinaryDeps.ContainsKey(pkg)) continue;
            var deps = GetPackageDeps(pkg, debuginfo: false);
            foreach (var (i, req) in deps)
            {
                if (_resultBinary.Contains(i)) continue;
                AddPackage(i, _resultBinary, new GatherReason("requires", pkg.Rpm, req.ToString()));
                added = true;
            }
            _doneBinaryDeps[pkg] = deps;
        }
        return added;
    }

    private bool AddDebugPackageDeps()
    {
        if (!_opts.ResolveDeps || _opts.ExcludeDebug) return false;
        bool added = false;
        foreach (var pkg in Sorted(_resultDebug))
        {
            if (_doneDebugDeps.ContainsKey(pkg)) continue;
            var deps = GetPackageDeps(pkg, debuginfo: true);
            foreach (var (i, req) in deps)
            {
                // Already satisfied by a binary package in the result.
                if (_resultBinary.Contains(i) || _resultDebug.Contains(i)) continue;
                AddPackage(i, _resultDebug, new GatherReason("debug-requires", pkg.Rpm, req.ToString()));
                added = true;
            }
            _doneDebugDeps[pkg] = deps;
        }
        return added;
    }

    private bool AddSourcePackageDeps()
    {
        if (!_opts.ResolveDeps || !_opts.Selfhosting || _opts.ExcludeSource) return false;
        bool added = false;
        foreach (var pkg in Sorted(_resultSource))
        {
            if (_doneSourceDeps.ContainsKey(pkg)) continue;
            var deps = GetPackageDeps(pkg, debuginfo: false);
            _doneSourceDeps[pkg] = deps.Select(d => d.Item1).Distinct().ToList();
            foreach (var (i, req) in deps)
            {
                if (_resultBinary.Contains(i)) continue;
                AddPackage(i, _resultBinary, new GatherReason("build-requires", pkg.Rpm, req.ToString()));
                SetFlag(pkg, PackageFlags.SelfHosting);
                added = true;
            }
        }
        return added;
    }

    private bool AddSourcePackages()
    {
        if (_opts.ExcludeSource) return false;
        bool added = false;
        foreach (var pkg in Sorted(_resultBinary))
        {
            if (!_doneSourcePkgs.TryGetValue(pkg, out var src))
            {
                src = null;
                if (!string.IsNullOrEmpty(pkg.SourceRpm) && !_sourcerpmCache.TryGetValue(pkg.SourceRpm, out src))
                {
                    var (n, v, r) = ParseSourceNvr(pkg.SourceRpm);
                    if (_sourceByNvr.TryGetValue((n, v, r), out var candidates) && candidates.Count > 0)
                    {
                        // Prefer the SRPM from the binary's own repository.
                        src = candidates.FirstOrDefault(s => ReferenceEquals(s.Repo, pkg.Repo)) ?? candidates[0];
                        _sourcerpmCache[pkg.SourceRpm] = src;
                    }
                }
                _doneSourcePkgs[pkg] = src;
            }
            if (src is null) continue;
            if (src.IsLookaside || pkg.IsLookaside) SetFlag(src, PackageFlags.Lookaside);
            if (_resultSource.Add(src))
            {
                _reasons.TryAdd(src, new GatherReason("source", pkg.Rpm));
                added = true;
            }
        }
        return added;
    }

    private bool AddDebugPackages()
    {
        if (_opts.ExcludeDebug) return false;
        bool added = false;
        foreach (var pkg in Sorted(_resultBinary))
        {
            if (_doneDebugPkgs.ContainsKey(pkg)) continue;
            List<PoolPackage>? candidates = null;
            if (!string.IsNullOrEmpty(pkg.SourceRpm))
                (IsNative(pkg) ? _nativeDebugBySrpm : _multilibDebugBySrpm).TryGetValue(pkg.SourceRpm, out candidates);
            if (candidates is null || candidates.Count == 0) continue;
            var debugPkgs = new List<PoolPackage>();
            foreach (var i in candidates)
            {
                if (pkg.Arch != i.Arch) continue;
                if (!i.Name.Contains("-debugsource", StringComparison.Ordinal) && i.Name != pkg.Name + "-debuginfo") continue;
                if (i.IsLookaside || pkg.IsLookaside) SetFlag(i, PackageFlags.Lookaside);
                if (_resultDebug.Contains(i)) continue;
                debugPkgs.Add(i);
                added = true;
            }
            _doneDebugPkgs[pkg] = debugPkgs;
            foreach (var i in debugPkgs)
            {
                _resultDebug.Add(i);
                _reasons.TryAdd(i, new GatherReason("debuginfo", pkg.Rpm));
            }
        }
        return added;
    }

    private bool AddFulltreePackages()
    {
        if (!_opts.Fulltree) return false;
        bool added = false;
        foreach (var pkg in Sorted(_resultBinary))
        {
            if (_opts.FulltreeExcludes.Contains(SourceName(pkg))) continue;
            if (!_doneFulltree.TryGetValue(pkg, out var fulltree))
            {
                var native = _nativeBySrpm.GetValueOrDefault(pkg.SourceRpm) ?? [];
                var multilib = _multilibBySrpm.GetValueOrDefault(pkg.SourceRpm) ?? [];
                var noarch = _noarchBySrpm.GetValueOrDefault(pkg.SourceRpm) ?? [];
                bool pullNative;
                if (native.Count == 0) pullNative = false;                        // no native siblings: pull multilib
                else if (native.Any(_resultBinary.Contains)) pullNative = true;   // a native one is in
                else if (multilib.Any(_resultBinary.Contains)) pullNative = false; // a multilib one is in
                else pullNative = true;
                fulltree = [];
                if (pullNative || _opts.Greedy == GreedyMethod.All) fulltree.AddRange(native);
                if (!pullNative || _opts.Greedy == GreedyMethod.All) fulltree.AddRange(multilib);
                fulltree.AddRange(noarch); // noarch subpackages always
            }
            foreach (var i in fulltree)
            {
                if (!_resultBinary.Contains(i))
                {
                    AddPackage(i, _resultBinary, new GatherReason("fulltree", pkg.Rpm));
                    SetFlag(i, PackageFlags.Fulltree);
                    added = true;
                }
                // No fulltree run for packages it pulled in (no transitive fulltree).
                _doneFulltree[i] = [];
            }
            _doneFulltree[pkg] = fulltree;
        }
        return added;
    }

    private bool AddLangpackPackages()
    {
        if (_opts.Langpacks.Count == 0) return false;
        bool added = false;
        foreach (var pkg in Sorted(_resultBinary))
        {
            if (!_doneLangpack.TryGetValue(pkg, out var langpackPkgs))
            {
                var patterns = _opts.Langpacks.Where(l => l.Name == pkg.Name).Select(l => l.Install.Replace("%s", "*")).ToList();
                if (patterns.Count == 0)
                {
                    _doneLangpack[pkg] = [];
                    continue;
                }
                langpackPkgs = patterns.SelectMany(g => Glob(_qBinary, g)).Distinct()
                    .Where(p => !PackageGlob.IsMatch(p.Name, "*-devel") && !PackageGlob.IsMatch(p.Name, "*-static")
                        && p.Name != "man-pages-overrides")
                    .OrderBy(p => p.Id).ToList();
            }
            var chosen = new List<PoolPackage>();
            foreach (var byName in langpackPkgs.GroupBy(p => p.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var best = BestPackage(byName.ToList());
                if (best.Count == 0) continue;
                var i = best[0];
                chosen.Add(i);
                SetFlag(i, PackageFlags.Langpack);
                if (_resultBinary.Contains(i)) continue;
                AddPackage(i, _resultBinary, new GatherReason("langpack", pkg.Rpm));
                added = true;
            }
            _doneLangpack[pkg] = chosen;
        }
        return added;
    }

    private bool AddMultilibPackages()
    {
        bool added = false;
        foreach (var pkg in Sorted(_resultBinary))
        {
            if (_doneMultilib.ContainsKey(pkg)) continue;
            if (pkg.Arch is "noarch" or "src" or "nosrc" || _arches.MultilibArches.Contains(pkg.Arch))
            {
                _doneMultilib[pkg] = null;
                continue;
            }
            var candidates = _multilibByNvr.GetValueOrDefault((pkg.Name, pkg.Version, pkg.Release));
            foreach (var i in candidates is null ? [] : BestPackage(candidates))
            {
                var method = _multilib.IsMultilib(i.Rpm);
                if (method is null) continue;
                added = true;
                SetFlag(i, PackageFlags.Multilib);
                AddPackage(i, _resultBinary, new GatherReason("multilib:" + method, pkg.Rpm));
                _doneMultilib[pkg] = i;
            }
        }
        return added;
    }

    // ---- dependency resolution and provider choice ----

    /// <summary>Direct dependencies of a package with the requirement that pulled each (<c>_get_package_deps</c>).</summary>
    private List<(PoolPackage, Dependency)> GetPackageDeps(PoolPackage pkg, bool debuginfo)
    {
        var result = new List<(PoolPackage, Dependency)>();
        var seen = new HashSet<(PoolPackage, string)>();
        if (pkg.IsLookaside) return result; // nothing from lookaside is resolved
        var queue = debuginfo ? _qDebug : _qBinary;
        foreach (var req in pkg.Rpm.Requires)
        {
            // libsolv drops rpmlib() requirements when it reads packages; createrepo_c never writes them.
            if (req.Name.StartsWith("rpmlib(", StringComparison.Ordinal)) continue;
            string key = req.ToString();
            if (_reqCache.TryGetValue(key, out var cached) && cached.Count > 0)
            {
                foreach (var d in cached)
                    if (seen.Add((d, key))) result.Add((d, req));
                continue;
            }
            var providers = InQueue(_pool.WhatProvides(req), queue);
            if (providers.Count > 0)
            {
                var best = BestPackage(providers, req: req, debuginfo: debuginfo);
                if (!_reqCache.TryGetValue(key, out var list)) _reqCache[key] = list = [];
                foreach (var d in best)
                {
                    if (!list.Contains(d)) list.Add(d);
                    if (seen.Add((d, key))) result.Add((d, req));
                }
            }
            else
            {
                string where = $"{pkg.Name}.{pkg.Arch}";
                if (_unresolvedSeen.Add((where, key)))
                    _unresolved.Add(new UnresolvedDependency(where, key));
            }
        }
        return result;
    }

    /// <summary>Pungi's <c>_get_best_package</c> (spec §3.4 "best_package").</summary>
    private List<PoolPackage> BestPackage(List<PoolPackage> candidates, Dependency? req = null, bool debuginfo = false)
    {
        if (candidates.Count == 0) return [];
        // greedy all takes every candidate, before the lookaside preference.
        if (_opts.Greedy == GreedyMethod.All) return candidates.OrderBy(p => p.Id).ToList();

        var all = candidates;
        if (_haveLookaside)
        {
            // A package present in lookaside with the same name-evr is taken from lookaside.
            var lookasideKeys = candidates.Where(p => p.IsLookaside).Select(p => p.NameEvr).ToHashSet(StringComparer.Ordinal);
            if (lookasideKeys.Count > 0)
                all = candidates.Where(p => p.IsLookaside || !lookasideKeys.Contains(p.NameEvr)).ToList();
        }
        var nativeQ = debuginfo ? _qNativeDebug : _qNativeBinary;
        var multilibQ = debuginfo ? _qMultilibDebug : _qMultilibBinary;
        var native = all.Where(nativeQ.Contains).ToList();
        var multilib = all.Where(multilibQ.Contains).ToList();

        var result = native.Where(_resultBinary.Contains).ToList();
        if (result.Count == 0) result = multilib.Where(_resultBinary.Contains).ToList();
        if (result.Count == 0) result = native;
        if (result.Count == 0) result = multilib;
        if (result.Count == 0) return [];

        // Best arch first, then the shortest name, then alphabetical (three stable sorts upstream).
        var match = result
            .OrderBy(p => _arches.ArchIndex(p.Arch))
            .ThenBy(p => p.Name.Length)
            .ThenBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Id)
            .First();

        if (_opts.Greedy == GreedyMethod.Build && req is not null)
            return (IsNative(match) ? native : multilib).Where(p => p.SourceRpm == match.SourceRpm).ToList();
        return [match];
    }

    // ---- helpers ----

    private bool IsNative(PoolPackage p)
        => !p.IsSource && (p.Arch == "noarch" || _arches.NativeArches.Contains(p.Arch));

    private void AddPackage(PoolPackage p, HashSet<PoolPackage> dest, GatherReason reason)
    {
        if (!dest.Add(p)) return;
        _reasons.TryAdd(p, reason);
        // is_from_lookaside compares packages by name, version, release and arch (hawkey package equality), so a
        // main-repo copy of a package also present in lookaside is flagged lookaside too.
        if (p.IsLookaside || _lookasideNvras.Contains(Nvra(p))) SetFlag(p, PackageFlags.Lookaside);
        if (_opts.FulltreeExcludes.Contains(SourceName(p))) SetFlag(p, PackageFlags.FulltreeExclude);
    }

    private static string Nvra(PoolPackage p) => $"{p.Name}-{p.Version}-{p.Release}.{p.Arch}";

    private void SetFlag(PoolPackage p, PackageFlags flag)
        => _flags[p] = _flags.GetValueOrDefault(p) | flag;

    /// <summary><c>get_source_name</c>: the sourcerpm minus its last two dash-separated fields.</summary>
    private static string SourceName(PoolPackage p)
    {
        var s = p.SourceRpm;
        int r = s.LastIndexOf('-');
        if (r < 0) return s;
        int v = s.LastIndexOf('-', r - 1 < 0 ? 0 : r - 1);
        return v < 0 ? s[..r] : s[..v];
    }

    /// <summary>kobo's <c>parse_nvra</c> on an SRPM file name: name, version, release.</summary>
    internal static (string Name, string Version, string Release) ParseSourceNvr(string sourceRpm)
    {
        var s = sourceRpm.EndsWith(".rpm", StringComparison.Ordinal) ? sourceRpm[..^4] : sourceRpm;
        int dot = s.LastIndexOf('.');
        if (dot >= 0) s = s[..dot]; // arch
        int r = s.LastIndexOf('-');
        if (r < 0) return (s, "", "");
        string release = s[(r + 1)..];
        s = s[..r];
        int v = s.LastIndexOf('-');
        if (v < 0) return (s, "", release);
        string version = s[(v + 1)..];
        string name = s[..v];
        int colon = name.IndexOf(':');
        if (colon >= 0) name = name[..colon];
        return (name, version, release);
    }

    private IEnumerable<PoolPackage> Glob(HashSet<PoolPackage> queue, string glob)
        => _pool.ByNameGlob(glob).Where(queue.Contains);

    private static List<PoolPackage> InQueue(IEnumerable<PoolPackage> pkgs, HashSet<PoolPackage> queue)
        => pkgs.Where(queue.Contains).ToList();

    /// <summary>Processing order: name, EVR, arch (hawkey's package ordering), then sack position (the pool's rank of them).</summary>
    private static List<PoolPackage> Sorted(IEnumerable<PoolPackage> pkgs)
        => pkgs.OrderBy(p => p.Rank).ToList();

    private GatherResult BuildResult()
    {
        GatheredPackage G(PoolPackage p) => new(p.Rpm, p.Repo.Id, _flags.GetValueOrDefault(p));
        var reasons = new Dictionary<RpmPackage, GatherReason>(ReferenceEqualityComparer.Instance);
        foreach (var (p, r) in _reasons) reasons.TryAdd(p.Rpm, r);
        return new GatherResult
        {
            Rpm = Sorted(_resultBinary).Select(G).ToList(),
            Srpm = Sorted(_resultSource).Select(G).ToList(),
            Debuginfo = Sorted(_resultDebug).Select(G).ToList(),
            UnresolvedDependencies = _unresolved,
            MissingPatterns = _missing,
            Warnings = _warnings,
            Reasons = reasons,
        };
    }
}
