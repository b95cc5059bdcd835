using System.Text;
using Pungi.Build.Diagnostics;
using Pungi.Build.Rpm;

namespace Pungi.Build.Pkgset;

/// <summary>
/// The Pkgset phase (spec §2.2): reads every candidate RPM's header once (header cache), keeps the latest version
/// per name.arch with the copy whose sigkey comes first in <c>sigkeys</c>, pulls each arch's packages (the repos
/// source's resolver), then cuts the per-arch subsets exactly as upstream's <c>PackageSetBase.merge</c> and writes the
/// package lists and package-set files — each only when its content changes.
/// </summary>
public static class PackageSetBuilder
{
    private sealed class Item
    {
        public required RpmCandidate Candidate { get; init; }
        public required byte[] Record { get; init; }
        public required PackageSummary S { get; init; }
        public required int Order { get; init; }
        public bool InvalidSigkey { get; set; }
        /// <summary>Tree arches whose repositories hold some copy of this NEVRA (null: all).</summary>
        public HashSet<string>? VisibleTo { get; set; }
        public IReadOnlyList<string> ExcludeArch { get; set; } = [];
        public IReadOnlyList<string> ExclusiveArch { get; set; } = [];
        public RpmPackage? Decoded { get; set; }
        public int ChosenIndex { get; set; }
        public InvalidSigkeyPackage AsInvalid() => new(S.Name, S.Nevra, S.SigKey, Candidate.Path);
    }

    public static PkgsetResult Build(PkgsetRequest request)
    {
        Dictionary<string, (string PoolIdentity, IReadOnlyList<int> Kept)>? resolved = null;
        if (request.Source is null && Compose.FileListing.PinsIdentity(request.RepositoryListing) && TryWarm(request, out resolved) is { } warm)
            return warm;
        return BuildFull(request, resolved);
    }

    /// <param name="resolved">Per arch, the resolver's answer already given in this run for a pool of that identity (the warm path's).</param>
    private static PkgsetResult BuildFull(PkgsetRequest request, Dictionary<string, (string PoolIdentity, IReadOnlyList<int> Kept)>? resolved)
    {
        var warnings = new List<PkgsetWarning>();
        var written = new List<string>();
        var unchanged = new List<string>();
        var source = request.Source ?? new RepositorySource(request.Repositories);
        string name = source.Name;
        string prefix = NormalizePrefix(request.PathPrefix ?? source.PathPrefix);
        var sigkeys = new SigkeyPolicy(request.Sigkeys);

        var candidates = source.GetCandidates(warnings);
        // The run memo describes RPM files found by listing the repositories, nothing else a source may give.
        bool memoable = request.Source is null && Compose.FileListing.PinsIdentity(request.RepositoryListing) && warnings.Count == 0
                        && candidates.Count > 0 && candidates.All(c => c.FromRepodata is null);

        // 1. Headers: from the cache when the file's stamp is unchanged, else read (in parallel, results by index).
        string cachePath = PkgsetPaths.HeaderCache(request.WorkDir);
        var cache = HeaderCache.Load(cachePath, request.ChecksumType, warnings);
        var items = ReadHeaders(candidates, cache, request, out var stamps, out int headersRead, out int fromCache);
        (cache.Save(cachePath) ? written : unchanged).Add(cachePath);

        // 2. Latest EVR per name.arch (rpmvercmp; Koji's latest=True, the depsolver's latest()), then among the copies
        //    of that NEVRA the one whose key ranks first in sigkeys; no acceptable copy → "invalid sigkey".
        var chosen = ChooseLatestSigned(items, sigkeys);
        for (int i = 0; i < chosen.Count; i++) chosen[i].ChosenIndex = i;
        var memoArches = new List<PkgsetRunMemo.MemoArch>();

        // 3. Per arch pull: the resolver (depsolver) or every candidate whose arch the tree takes (with multilib=all).
        var selected = new HashSet<Item>(ReferenceEqualityComparer.Instance);
        foreach (var treeArch in request.Arches)
        {
            var allowed = RpmArches.GetValidArches(treeArch, multilib: true, addNoarch: true, addSrc: true).ToHashSet(StringComparer.Ordinal);
            allowed.Add("nosrc");
            var pool = chosen.Where(i => (i.VisibleTo is null || i.VisibleTo.Contains(treeArch)) && allowed.Contains(i.S.Arch)).ToList();
            if (request.Resolver is null)
            {
                selected.UnionWith(pool);
                memoArches.Add(new PkgsetRunMemo.MemoArch(treeArch, "", pool.Select(i => i.ChosenIndex).ToArray(), Enumerable.Range(0, pool.Count).ToArray()));
                continue;
            }
            var identity = PoolIdentity(pool);
            var kept = resolved is not null && resolved.TryGetValue(treeArch, out var r) && r.PoolIdentity == identity
                ? r.Kept
                : request.Resolver.Resolve(treeArch, pool.Select(i => i.S).ToList(), identity, () =>
                {
                    // Decoded on all cores (the depsolver needs every package); kept across arches.
                    Parallel.ForEach(pool, i => i.Decoded ??= PackageCodec.Decode(i.Record));
                    return pool.Select(i => i.Decoded!).ToList();
                });
            foreach (var k in kept) selected.Add(pool[k]);
            memoArches.Add(new PkgsetRunMemo.MemoArch(treeArch, identity, pool.Select(i => i.ChosenIndex).ToArray(), kept.ToArray()));
        }

        // The decoded packages were for the resolver only: let them go before the sets and repos are written (the
        // entries decode lazily from the records), so the whole set is never held twice in memory.
        foreach (var i in chosen) i.Decoded = null;

        // 4. The global set: SRPMs only when a binary of the set names them (the depsolver downloads exactly those).
        var selectedList = chosen.Where(selected.Contains).ToList();
        var wantedSrpms = selectedList.Where(i => !i.S.IsSource).Select(i => i.S.SourceRpm).ToHashSet(StringComparer.Ordinal);
        var global = selectedList.Where(i => !i.S.IsSource || wantedSrpms.Contains(i.S.FileName)).ToList();

        // 5. noarch packages inherit ExcludeArch/ExclusiveArch from their SRPM (upstream does this in its header-reader thread).
        int ruleWarningsFrom = warnings.Count;
        InheritArchLists(global, warnings);
        var ruleWarnings = warnings.Skip(ruleWarningsFrom).ToList();

        // 6. Invalid sigkeys: an error unless tolerated (deps gather), and then an error only for wanted names.
        var invalidItems = global.Where(i => i.InvalidSigkey).Select(i => i.AsInvalid()).ToList();
        var invalid = CheckSigkeys(invalidItems, request, sigkeys, warnings);

        // 7. Per-arch subsets and the files.
        var globalSet = ToPackageSet(name, "global", prefix, global);
        var arches = new Dictionary<string, PackageSet>(StringComparer.Ordinal);
        foreach (var treeArch in request.Arches)
            arches[treeArch] = ToPackageSet(name, treeArch, prefix, Subset(global, treeArch, request));

        var outputs = WriteOutputs(request.WorkDir, globalSet, arches.Values, written, unchanged);

        // Saved only when the files are still those of the build's listing: one added between the listing and this run's
        // own look (and gone again by the next build) must not be remembered under a listing that never held it.
        string memoPath = PkgsetPaths.RunMemo(request.WorkDir);
        if (memoable && PkgsetRunMemo.HeaderCacheStamp.Of(cachePath) is { } cacheStamp
            && Compose.FileListing.Stamp(request.Repositories.Select(r => r.Path), ".rpm") == request.RepositoryListing)
        {
            new PkgsetRunMemo
            {
                Key = PkgsetRunMemo.KeyOf(request, name, prefix),
                HeaderCache = cacheStamp,
                Checks = ((RepositorySource)source).InsideChecks(candidates, stamps),
                CandidateCount = candidates.Count,
                Candidates = candidates.Select((c, i) => new PkgsetRunMemo.MemoCandidate(c.Path, stamps[i])).ToList(),
                Chosen = chosen.Select(i => i.S).ToList(),
                ChosenCandidates = chosen.Select(i => i.Order).ToArray(),
                Arches = memoArches,
                Warnings = ruleWarnings,
                Invalid = invalidItems,
                Outputs = outputs,
            }.Save(memoPath);
        }
        else if (request.Source is null)
        {
            PkgsetRunMemo.Delete(memoPath);
        }

        return new PkgsetResult
        {
            Name = name,
            PathPrefix = prefix,
            Global = globalSet,
            Arches = arches,
            Warnings = warnings,
            HeadersRead = headersRead,
            HeadersFromCache = fromCache,
            InvalidSigkeyPackages = invalid,
            WrittenFiles = written,
            UnchangedFiles = unchanged,
        };
    }

    /// <summary>Thrown inside a resolver's decode callback when the warm path cannot give the packages: the full run follows.</summary>
    private sealed class WarmPathAbandoned : Exception;

    /// <summary>
    /// The repos source's rerun with unchanged RPM files (<see cref="PkgsetRunMemo"/>): when the memo's key (the build's
    /// listing of every RPM's path and lstat identity, repositories, options, code), the symlinks and real paths, the
    /// header cache file and the outputs all match, the last run's candidates, choice and pools stand; the resolver
    /// still answers each arch (its own memo usually recalls the answer), and when every answer is the last one's, the
    /// outputs on disk are already this run's outputs and no repository is listed, no RPM stat'ed, no header cache
    /// loaded, no set hashed or written. Null when the full run must follow; then <paramref name="resolved"/> holds
    /// the answers the resolver already gave, so it is not asked twice.
    /// </summary>
    private static PkgsetResult? TryWarm(PkgsetRequest request, out Dictionary<string, (string PoolIdentity, IReadOnlyList<int> Kept)>? resolved)
    {
        resolved = null;
        var source = new RepositorySource(request.Repositories);
        string name = source.Name;
        string prefix = NormalizePrefix(request.PathPrefix ?? source.PathPrefix);
        var memo = PkgsetRunMemo.TryLoad(PkgsetPaths.RunMemo(request.WorkDir), PkgsetRunMemo.KeyOf(request, name, prefix));
        if (memo is null || !memo.Arches.Select(a => a.Arch).SequenceEqual(request.Arches, StringComparer.Ordinal)
            || memo.Outputs.Count != request.Arches.Count + 1) return null;
        string cachePath = PkgsetPaths.HeaderCache(request.WorkDir);
        if (PkgsetRunMemo.HeaderCacheStamp.Of(cachePath) != memo.HeaderCache) return null;
        if (!source.StillInside(memo.Checks)) return null;

        // The records only if the resolver must solve: the header cache holds every one under the memo's stamps.
        byte[][]? records = null;
        IReadOnlyList<RpmPackage> Decode(PkgsetRunMemo.MemoArch arch)
        {
            if (records is null)
            {
                var candidates = PkgsetRunMemo.TryLoad(PkgsetPaths.RunMemo(request.WorkDir), memo.Key, withCandidates: true)?.Candidates;
                if (candidates is null || candidates.Count != memo.CandidateCount) throw new WarmPathAbandoned();
                var cache = HeaderCache.Load(cachePath, request.ChecksumType, new List<PkgsetWarning>());
                var loaded = new byte[memo.Chosen.Count][];
                for (int i = 0; i < loaded.Length; i++)
                {
                    var c = candidates[memo.ChosenCandidates[i]];
                    loaded[i] = cache.TryGet(c.Path, c.Stamp) ?? throw new WarmPathAbandoned();
                }
                records = loaded;
            }
            var packages = new RpmPackage[arch.Pool.Length];
            Parallel.For(0, packages.Length, k => packages[k] = PackageCodec.Decode(records[arch.Pool[k]]));
            return packages;
        }

        var answers = new Dictionary<string, (string PoolIdentity, IReadOnlyList<int> Kept)>(StringComparer.Ordinal);
        bool sameAnswers = true;
        if (request.Resolver is not null)
        {
            try
            {
                foreach (var arch in memo.Arches)
                {
                    var kept = request.Resolver.Resolve(arch.Arch, arch.Pool.Select(i => memo.Chosen[i]).ToList(), arch.PoolIdentity, () => Decode(arch));
                    answers[arch.Arch] = (arch.PoolIdentity, kept);
                    sameAnswers &= kept.SequenceEqual(arch.Kept);
                }
            }
            catch (WarmPathAbandoned)
            {
                resolved = answers;
                return null;
            }
        }
        resolved = answers;
        if (!sameAnswers) return null;

        // The same sets as the last run: their files must still hold them (else the full run writes them again).
        string workDir = request.WorkDir;
        var files = new List<string>();
        var sets = new List<PackageSet>();
        for (int i = 0; i < memo.Outputs.Count; i++)
        {
            var o = memo.Outputs[i];
            bool isGlobal = i == 0;
            var list = ListPath(workDir, o.Arch, name, isGlobal);
            var store = PkgsetPaths.Store(workDir, o.Arch, name);
            if (o.Arch != (isGlobal ? "global" : request.Arches[i - 1]) || !HasContentHash(list, o.ListHash) || !PackageSetStore.HasFingerprint(store, o.Fingerprint))
                return null;
            files.Add(list);
            files.Add(store);
            sets.Add(new PackageSet(name, o.Arch, prefix, o.Count, () => PackageSetStore.LoadFile(store).Packages));
        }

        var warnings = new List<PkgsetWarning>(memo.Warnings);
        var invalid = CheckSigkeys(memo.Invalid, request, new SigkeyPolicy(request.Sigkeys), warnings);
        return new PkgsetResult
        {
            Name = name,
            PathPrefix = prefix,
            Global = sets[0],
            Arches = sets.Skip(1).ToDictionary(s => s.Arch, StringComparer.Ordinal),
            Warnings = warnings,
            HeadersRead = 0,
            HeadersFromCache = memo.CandidateCount,
            InvalidSigkeyPackages = invalid,
            WrittenFiles = [],
            UnchangedFiles = [cachePath, .. files],
            Remembered = true,
        };
    }

    private static bool HasContentHash(string path, byte[] hash)
    {
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            return System.Security.Cryptography.SHA256.HashData(fs).AsSpan().SequenceEqual(hash);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>A hash of an arch's candidates in order: every path and whole record (what a resolver's answer depends on).</summary>
    private static string PoolIdentity(List<Item> pool)
    {
        using var h = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var n = new byte[4];
        foreach (var i in pool)
        {
            var path = Encoding.UTF8.GetBytes(i.Candidate.Path);
            BitConverter.TryWriteBytes(n, path.Length);
            h.AppendData(n);
            h.AppendData(path);
            BitConverter.TryWriteBytes(n, i.Record.Length);
            h.AppendData(n);
            h.AppendData(i.Record);
        }
        return Convert.ToHexStringLower(h.GetHashAndReset());
    }

    private static List<Item> ReadHeaders(IReadOnlyList<RpmCandidate> candidates, HeaderCache cache, PkgsetRequest request,
        out FileStamp[] stamps, out int headersRead, out int fromCache)
    {
        int n = candidates.Count;
        var records = new byte[n][];
        var fileStamps = stamps = new FileStamp[n];
        var fresh = new bool[n];
        var errors = new PungiException?[n];
        var options = new RpmReadOptions { ChecksumType = request.ChecksumType };
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, request.MaxParallelism) }, i =>
        {
            var c = candidates[i];
            if (c.FromRepodata is not null)
            {
                // createrepo_c writes nosrc packages with arch src; the location keeps the real suffix (DESIGN.md §7).
                var p = c.FromRepodata;
                bool nosrc = p.Arch == "src" && p.Location.EndsWith(".nosrc.rpm", StringComparison.Ordinal);
                records[i] = PackageCodec.Encode(p, nosrc ? "nosrc" : null);
                return;
            }
            try
            {
                fileStamps[i] = FileStamp.Of(c.Path);
            }
            catch (IOException e)
            {
                errors[i] = new PungiException(ErrorCodes.PkgsetUnreadableRpm, $"cannot read the RPM: {e.Message}", c.Path, inner: e);
                return;
            }
            var cached = cache.TryGet(c.Path, fileStamps[i]);
            if (cached is not null)
            {
                records[i] = cached;
                return;
            }
            try
            {
                var package = RpmHeaderReader.Read(c.Path, options with { RepositoryRoot = c.RepositoryRoot });
                records[i] = PackageCodec.Encode(package);
                fresh[i] = true;
            }
            catch (PungiException e)
            {
                errors[i] = new PungiException(ErrorCodes.PkgsetUnreadableRpm,
                    $"the RPM is unreadable or corrupt ({e.Code}: {e.Message})", c.Path, inner: e);
            }
        });
        // The first failure in candidate order, so the message does not depend on thread timing.
        foreach (var e in errors)
            if (e is not null) throw e;

        headersRead = 0;
        fromCache = 0;
        var items = new List<Item>(n);
        for (int i = 0; i < n; i++)
        {
            var c = candidates[i];
            if (c.FromRepodata is null)
            {
                cache.Keep(c.Path, stamps[i], records[i], fresh[i]);
                if (fresh[i]) headersRead++; else fromCache++;
            }
            items.Add(new Item { Candidate = c, Record = records[i], S = PackageCodec.ReadSummary(records[i]), Order = i });
        }
        return items;
    }

    private static List<Item> ChooseLatestSigned(List<Item> items, SigkeyPolicy sigkeys)
    {
        var chosen = new List<Item>();
        foreach (var group in items.GroupBy(i => (i.S.Name, i.S.Arch)))
        {
            var latest = group.Aggregate((a, b) => Evr.ComparePackages(b.S.Evr, a.S.Evr) > 0 ? b : a);
            var copies = group.Where(i => Evr.ComparePackages(i.S.Evr, latest.S.Evr) == 0).ToList();
            Item? best = null;
            int bestRank = int.MaxValue;
            foreach (var copy in copies) // candidate order: the first copy wins a tie
            {
                int? rank = sigkeys.Rank(copy.S.SignatureKeyId);
                if (rank is int r && r < bestRank) { best = copy; bestRank = r; }
            }
            if (best is null)
            {
                best = copies[0];
                best.InvalidSigkey = true;
            }
            best.VisibleTo = copies.Any(c => c.Candidate.ForArches.Count == 0)
                ? null
                : copies.SelectMany(c => c.Candidate.ForArches).ToHashSet(StringComparer.Ordinal);
            chosen.Add(best);
        }
        chosen.Sort((a, b) => a.Order.CompareTo(b.Order));
        return chosen;
    }

    private static void InheritArchLists(List<Item> global, List<PkgsetWarning> warnings)
    {
        var srpms = new Dictionary<string, Item>(StringComparer.Ordinal);
        foreach (var i in global.Where(i => i.S.IsSource)) srpms.TryAdd(i.S.FileName, i);
        foreach (var i in global)
        {
            i.ExcludeArch = i.S.ExcludeArch;
            i.ExclusiveArch = i.S.ExclusiveArch;
            if (i.S.Arch != "noarch") continue;
            if (srpms.TryGetValue(i.S.SourceRpm, out var srpm))
            {
                i.ExcludeArch = srpm.S.ExcludeArch;
                i.ExclusiveArch = srpm.S.ExclusiveArch;
            }
            else
            {
                warnings.Add(new PkgsetWarning(ErrorCodes.PkgsetMissingSrpm,
                    $"can't find the SRPM {i.S.SourceRpm} of {i.S.Nevra}; its own ExcludeArch/ExclusiveArch decide its arches",
                    i.Candidate.Path));
            }
        }
    }

    /// <param name="invalid">The global set's packages without an acceptable key, in set order.</param>
    private static List<string> CheckSigkeys(IReadOnlyList<InvalidSigkeyPackage> invalid, PkgsetRequest request, SigkeyPolicy sigkeys, List<PkgsetWarning> warnings)
    {
        if (invalid.Count == 0) return [];
        static string Describe(InvalidSigkeyPackage i) => $"{i.Nevra} ({(i.SigKey is null ? "unsigned" : "key " + i.SigKey)}, {i.Path})";
        if (!request.AllowInvalidSigkeys)
            throw new PungiException(ErrorCodes.PkgsetUnsignedPackages,
                $"{invalid.Count} package(s) are not signed with a key in Sigkeys {sigkeys}: " + string.Join("; ", invalid.Select(Describe)),
                invalid[0].Path);
        var wanted = request.WantedPackages.ToHashSet(StringComparer.Ordinal);
        var wantedInvalid = invalid.Where(i => wanted.Contains(i.Name)).ToList();
        if (wantedInvalid.Count > 0)
            throw new PungiException(ErrorCodes.PkgsetInvalidSigkeyWanted,
                $"{wantedInvalid.Count} wanted package(s) are not signed with a key in Sigkeys {sigkeys}: " + string.Join("; ", wantedInvalid.Select(Describe)),
                wantedInvalid[0].Path);
        foreach (var i in invalid)
            warnings.Add(new PkgsetWarning(ErrorCodes.PkgsetUnsignedPackages,
                $"{Describe(i)} has no key in Sigkeys {sigkeys}; kept because gather may not pick it (allow_invalid_sigkeys)", i.Path));
        return invalid.Select(i => i.Nevra).ToList();
    }

    /// <summary>
    /// Upstream's <c>PackageSetBase.merge(other, primary_arch, arch_list)</c>: the tree's valid arches (multilib ones only
    /// when some variant has multilib on this arch) + noarch + src + nosrc, sources last; noarch dropped by
    /// <c>is_excluded</c> against the tree's native arches (+ noarch unless told not to); SRPMs kept only when a kept
    /// binary came from an SRPM of that name.
    /// </summary>
    private static List<Item> Subset(List<Item> global, string treeArch, PkgsetRequest request)
    {
        var archList = RpmArches.GetValidArches(treeArch, multilib: request.MultilibArches.Contains(treeArch), addNoarch: true, addSrc: true)
            .Where(a => a is not ("src" or "nosrc")).Append("nosrc").Append("src").ToList();
        var native = RpmArches.GetValidArches(treeArch, multilib: false, addNoarch: false).Where(a => a != "noarch").ToList();
        if (request.ExclusiveArchConsidersNoarch) native.Add("noarch");
        var nativeSet = native.ToHashSet(StringComparer.Ordinal);

        var byArch = global.GroupBy(i => i.S.Arch, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var seenSourceNames = new HashSet<string>(StringComparer.Ordinal);
        var kept = new List<Item>();
        foreach (var arch in archList)
        {
            if (!byArch.TryGetValue(arch, out var list)) continue;
            foreach (var i in list)
            {
                if (arch == "noarch" && IsExcluded(i, nativeSet)) continue;
                if (arch is "src" or "nosrc")
                {
                    if (!seenSourceNames.Contains(i.S.Name)) continue;
                }
                else
                {
                    seenSourceNames.Add(i.S.SourceName);
                }
                kept.Add(i);
            }
        }
        return kept;
    }

    /// <summary><c>is_excluded</c>: ExcludeArch hits one of the arches, or ExclusiveArch misses them all.</summary>
    private static bool IsExcluded(Item i, HashSet<string> arches)
        => (i.ExcludeArch.Count > 0 && i.ExcludeArch.Any(arches.Contains))
           || (i.ExclusiveArch.Count > 0 && !i.ExclusiveArch.Any(arches.Contains));

    /// <summary>Order of <c>save_file_list</c>: arches sorted by name, then read order.</summary>
    private static PackageSet ToPackageSet(string name, string arch, string prefix, List<Item> items)
    {
        var entries = items
            .OrderBy(i => i.S.Arch, StringComparer.Ordinal).ThenBy(i => i.Order)
            .Select(i => new PackageSetEntry(i.Candidate.Path, Relative(prefix, i.Candidate.Path), i.S, i.Record, i.InvalidSigkey))
            .ToList();
        return new PackageSet(name, arch, prefix, entries);
    }

    /// <summary>Writes each set's list and store when its content changed; returns what the run memo keeps of them.</summary>
    private static List<PkgsetRunMemo.MemoOutput> WriteOutputs(string workDir, PackageSet global, IEnumerable<PackageSet> arches, List<string> written, List<string> unchanged)
    {
        var outputs = new List<PkgsetRunMemo.MemoOutput>();
        void Put(PackageSet set, bool isGlobal)
        {
            var list = PackageList(set);
            var path = ListPath(workDir, set.Arch, set.Name, isGlobal);
            (AtomicFile.WriteIfChanged(path, list) ? written : unchanged).Add(path);
            // The warm path: equal fingerprints mean equal bytes, so the set is neither serialised nor compared.
            var store = PkgsetPaths.Store(workDir, set.Arch, set.Name);
            var fingerprint = PackageSetStore.Fingerprint(set);
            if (PackageSetStore.HasFingerprint(store, fingerprint)) unchanged.Add(store);
            else (AtomicFile.WriteIfChanged(store, stream => PackageSetStore.Serialize(stream, set, fingerprint)) ? written : unchanged).Add(store);
            outputs.Add(new PkgsetRunMemo.MemoOutput(set.Arch, set.Packages.Count, System.Security.Cryptography.SHA256.HashData(list), fingerprint));
        }

        Put(global, isGlobal: true);
        foreach (var set in arches) Put(set, isGlobal: false);
        return outputs;
    }

    private static string ListPath(string workDir, string arch, string name, bool isGlobal)
        => isGlobal ? PkgsetPaths.GlobalPackageList(workDir, name) : PkgsetPaths.ArchPackageList(workDir, arch, name);

    private static byte[] PackageList(PackageSet set)
    {
        var sb = new StringBuilder();
        foreach (var e in set.Packages) sb.Append(e.RelativePath).Append('\n');
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static string Relative(string prefix, string path)
        => path.StartsWith(prefix, StringComparison.Ordinal) ? path[prefix.Length..] : Path.GetRelativePath(prefix, path).Replace('\\', '/');

    private static string NormalizePrefix(string prefix)
    {
        var full = Path.GetFullPath(prefix);
        return full.EndsWith('/') ? full : full + "/";
    }
}
