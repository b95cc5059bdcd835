using Pungi.Build.Comps;
using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Pungi.Build.Rpm;
using Pungi.Build.Variants;

namespace Pungi.Build.Gather;

/// <summary>One package of an arch's package set with the file it lives in.</summary>
public sealed record PackageSetPackage(RpmPackage Package, string Path);

/// <summary>The options of the Gather phase (spec Appendix A.5), with upstream's defaults.</summary>
public sealed class GatherPhaseRequest
{
    public required ComposeLayout Layout { get; init; }
    public required VariantModel Variants { get; init; }
    /// <summary>The arch's package set (Pkgset output), decoded on demand with its saved lookup index (<see cref="SackPackages.FromStore"/>).</summary>
    public Func<string, SackPackages>? Packages { get; init; }
    /// <summary>The arch's package set as decoded packages, when <see cref="Packages"/> is not given.</summary>
    public Func<string, IReadOnlyList<PackageSetPackage>>? PackageSet { get; init; }
    /// <summary>
    /// The identity of an arch's package set (<c>PackageSetStore.ComposeIdentity</c>), which turns on the per
    /// variant.arch memo of the depsolver's answers (<see cref="GatherMemo"/>); null solves every variant every time.
    /// </summary>
    public Func<string, string>? PackageSetIdentity { get; init; }
    /// <summary>The variant.arch's filtered comps (Init output), or null without a comps file.</summary>
    public required Func<string, string, CompsModel?> Comps { get; init; }
    /// <summary>Lookaside repository packages by path (read once per path).</summary>
    public Func<string, IReadOnlyList<RpmPackage>> LookasideRepo { get; init; } = _ => [];
    /// <summary><c>variant_as_lookaside</c>: (variant, lookaside variant) UID pairs; the second's gathered packages are the first's lookaside.</summary>
    public IReadOnlyList<(string Variant, string Lookaside)> VariantAsLookaside { get; init; } = [];
    /// <summary>Variants of one type solved at once (they share the arch's sack).</summary>
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;
    /// <summary><c>gather_method</c>: deps or nodeps.</summary>
    public string Method { get; init; } = "deps";
    public GreedyMethod Greedy { get; init; } = GreedyMethod.None;
    public bool Fulltree { get; init; }
    public bool Selfhosting { get; init; }
    public bool FilterSystemReleasePackages { get; init; } = true;
    public bool CheckDeps { get; init; } = true;
    public IReadOnlyList<VariantArchValue<string>> AdditionalPackages { get; init; } = [];
    public IReadOnlyList<VariantArchValue<string>> FilterPackages { get; init; } = [];
    public IReadOnlyList<VariantArchValue<string>> Multilib { get; init; } = [];
    public IReadOnlyList<VariantArchValue<string>> LookasideRepos { get; init; } = [];
    public IReadOnlyList<(string Arch, string Name)> MultilibBlacklist { get; init; } = [];
    public IReadOnlyList<(string Arch, string Name)> MultilibWhitelist { get; init; } = [];
    /// <summary><c>gather_source</c>: comps (default), json or none (spec §3.2).</summary>
    public string Source { get; init; } = "comps";
    /// <summary>Content of the <c>gather_source_mapping</c> JSON file (json source), and its path for messages.</summary>
    public string? SourceMappingJson { get; init; }
    public string? SourceMappingFile { get; init; }
    /// <summary>Content of <c>work/global/prepopulate.json</c> (<c>gather_prepopulate</c>), or null; comps source only.</summary>
    public string? PrepopulateJson { get; init; }
    public string? PrepopulateFile { get; init; }
}

public sealed class GatherPhaseResult
{
    /// <summary>arch → variant uid → package map, after trimming.</summary>
    public required Dictionary<string, Dictionary<string, PackageMap>> Maps { get; init; }
    public required IReadOnlyList<string> Warnings { get; init; }
    /// <summary>Package lists rewritten, and those whose content was already equal.</summary>
    public required int FilesWritten { get; init; }
    public required int FilesUnchanged { get; init; }
    /// <summary>
    /// The variant.arches depsolved in this run, with how long each solve took (the shared sack built before it not
    /// counted); the others were recalled from their memo or needed no solve.
    /// </summary>
    public IReadOnlyDictionary<(string Arch, string Uid), TimeSpan> Solved { get; init; } = new Dictionary<(string, string), TimeSpan>();
}

/// <summary>
/// The Gather phase as upstream's <c>gather_wrapper</c> runs it (spec §3.1): every variant of type variant, then
/// addons, layered products and optional variants, each on all its arches; then trimming (§3.10); then one package
/// list per variant.arch and type (<see cref="ComposeLayout.PackageList"/>: absolute paths, sorted), each
/// rewritten only when its content changes, so a variant whose packages did not change stays untouched downstream.
/// </summary>
public static class GatherPhase
{
    private static readonly string[] TypeOrder = ["variant", "addon", "layered-product", "optional"];

    public static GatherPhaseResult Run(GatherPhaseRequest request, CancellationToken cancellationToken = default)
    {
        var sets = new Dictionary<string, SackPackages>(StringComparer.Ordinal);
        try
        {
            return Run(request, sets, cancellationToken);
        }
        finally
        {
            // The sets read from stores keep them mapped: released here, once nothing reads them.
            foreach (var set in sets.Values) set.Dispose();
        }
    }

    private static GatherPhaseResult Run(GatherPhaseRequest request, Dictionary<string, SackPackages> sets, CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        var maps = new Dictionary<string, Dictionary<string, PackageMap>>(StringComparer.Ordinal);
        var variants = request.Variants.All;
        var gatherVariants = variants.Select(v => new GatherVariant(v.Uid, v.Type.ToName(), v.Parent?.Uid)).ToList();
        var inputs = new Dictionary<(string, string), VariantGatherInput>();
        SackPackages SetOf(string arch) => sets.TryGetValue(arch, out var s) ? s : sets[arch] = request.Packages?.Invoke(arch)
            ?? SackPackages.FromPackages(request.PackageSet?.Invoke(arch) ?? throw new ArgumentException("GatherPhaseRequest needs Packages or PackageSet"));
        var shared = new Dictionary<string, ArchShared>(StringComparer.Ordinal);
        ArchShared SharedOf(string arch) => shared.TryGetValue(arch, out var a) ? a : shared[arch] = new ArchShared(SetOf(arch));

        // variant_as_lookaside: variants in upstream's gather order (unnamed ones first, then lookaside before user).
        var pairs = request.VariantAsLookaside;
        var order = pairs.Count == 0 ? null
            : VariantOrder.Ordered(request.Variants, pairs).Select((uid, i) => (uid, i)).ToDictionary(x => x.uid, x => x.i, StringComparer.Ordinal);
        var lookasides = new VariantLookasides(request, maps, (arch, path) => SharedOf(arch).ByPath(path));
        var solved = new Dictionary<(string, string), TimeSpan>();

        foreach (var type in TypeOrder)
        {
            var ofType = variants.Where(v => v.Type.ToName() == type).ToList();
            if (order is not null) ofType = [.. ofType.OrderBy(v => order[v.Uid])];
            // Variants of one type never read each other's answers (addons read their parent's, a type earlier) unless
            // one is the other's variant_as_lookaside: those come in a later wave. A wave is prepared in order, solved
            // at once, and finished in order, so warnings and the first error come out as they would one by one.
            var wave = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var v in ofType)
                wave[v.Uid] = pairs.Where(p => p.Variant == v.Uid && wave.ContainsKey(p.Lookaside)).Select(p => wave[p.Lookaside] + 1).DefaultIfEmpty(0).Max();
            foreach (var group in ofType.GroupBy(v => wave[v.Uid]).OrderBy(g => g.Key))
            {
                var jobs = new List<Job>();
                foreach (var variant in group)
                {
                    foreach (var arch in variant.Arches)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var byVariant = maps.TryGetValue(arch, out var m) ? m : maps[arch] = new Dictionary<string, PackageMap>(StringComparer.Ordinal);
                        byVariant[variant.Uid] = new PackageMap();
                        if (variant.IsEmpty) continue;
                        jobs.Add(Prepare(request, variant, arch, gatherVariants, inputs, SharedOf(arch), maps, lookasides.For(variant, arch)));
                    }
                }
                Parallel.ForEach(jobs.Where(j => j.Map is null && j.Answer is null),
                    new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, request.MaxParallelism), CancellationToken = cancellationToken },
                    Solve);
                foreach (var job in jobs)
                {
                    maps[job.Arch][job.Variant.Uid] = Finish(request, job, warnings);
                    if (job.SolveTime is { } took) solved[(job.Arch, job.Variant.Uid)] = took;
                }
            }
        }

        VariantTrimmer.TrimAll(maps, gatherVariants);

        int written = 0, unchanged = 0;
        var identities = new Dictionary<string, string?>(StringComparer.Ordinal);
        var digests = new ListDigests(Path.Combine(request.Layout.WorkTopdir(null), "gather", "list-digests.keys"),
            arch => identities.TryGetValue(arch, out var id) ? id : identities[arch] = request.PackageSetIdentity?.Invoke(arch),
            (arch, path) => SharedOf(arch).FactsOf(path));
        foreach (var (arch, byVariant) in maps)
        {
            foreach (var (uid, map) in byVariant)
            {
                foreach (var type in PackageMap.Types)
                {
                    // What the variant ships: entries flagged lookaside are never linked (link_files skips them), so
                    // they stay out of the lists that linking, repodata and the metadata read.
                    var lines = PackageMap.Shipped(map[type]).Select(e => e.Path).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                    // The list's UTF-8 once, for the file and the digest's key (not a string per line, the text, then its bytes).
                    var text = ListText(lines);
                    var listPath = request.Layout.PackageList(arch, request.Variants.Find(uid)!, type);
                    if (AtomicFile.WriteIfChanged(listPath, text)) written++;
                    else unchanged++;
                    digests.Write(PackageDigestPath(listPath), [arch], () => lines.Select(l => (l, arch)).ToList(), arch + "\n", text);
                }
            }
        }
        // The source tree of a variant is the union of its arches' SRPM lists: one digest of that union, so adding an
        // arch whose SRPMs the tree already has leaves it untouched.
        foreach (var uid in maps.Values.SelectMany(m => m.Keys).Distinct(StringComparer.Ordinal))
        {
            var union = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var (arch, byVariant) in maps)
                if (byVariant.TryGetValue(uid, out var map))
                    foreach (var e in PackageMap.Shipped(map.Srpm)) union.TryAdd(e.Path, arch);
            digests.Write(SourceDigestPath(request.Layout, uid), union.Values, () => union.Select(kv => (kv.Key, kv.Value)).ToList(),
                "", System.Text.Encoding.UTF8.GetBytes(string.Concat(union.Select(kv => kv.Key + "\t" + kv.Value + "\n"))));
        }
        digests.Save();
        return new GatherPhaseResult { Maps = maps, Warnings = warnings, FilesWritten = written, FilesUnchanged = unchanged, Solved = solved };
    }

    /// <summary>
    /// Beside each package list, in the arch's <c>stamps/package_list/</c>: a digest of the listed packages' files
    /// (path, size, mtime, checksum). The list holds paths only, so an RPM replaced under the same name (a rebuild, a
    /// re-signed copy) changes no list; the digest changes, and wakes exactly the variant.arch trees that link it.
    /// </summary>
    public static string PackageDigestPath(string packageListPath)
        => Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(packageListPath)!)!, "stamps", "package_list",
            Path.ChangeExtension(Path.GetFileName(packageListPath), ".digest"));

    /// <summary><c>work/global/stamps/package_list/&lt;uid&gt;.src.digest</c>: the digest of a variant's source tree.</summary>
    public static string SourceDigestPath(ComposeLayout layout, string variantUid)
        => Path.Combine(layout.WorkTopdir(null), "stamps", "package_list", variantUid + ".src.digest");

    /// <summary>
    /// The digests beside the package lists. A digest depends only on its list and the facts of the listed files, which
    /// the package set's identity covers: when neither changed since it was written (<c>work/global/gather/list-digests.keys</c>),
    /// it is left as it is instead of reading the facts of every listed package again (20,000 for an Everything list).
    /// </summary>
    private sealed class ListDigests
    {
        private readonly string _keysPath;
        private readonly Func<string, string?> _identityOf;
        private readonly Func<string, string, (long, long, string?)?> _factsOf;
        private readonly Dictionary<string, string> _old = new(StringComparer.Ordinal), _new = new(StringComparer.Ordinal);

        public ListDigests(string keysPath, Func<string, string?> identityOf, Func<string, string, (long, long, string?)?> factsOf)
        {
            (_keysPath, _identityOf, _factsOf) = (keysPath, identityOf, factsOf);
            try
            {
                foreach (var line in File.Exists(keysPath) ? File.ReadAllLines(keysPath) : [])
                    if (line.Split('\t') is [var path, var key]) _old[path] = key;
            }
            catch (IOException) { } // unreadable: every digest is computed
        }

        /// <param name="arches">The arches whose package sets hold the listed paths.</param>
        /// <param name="files">The listed paths, each with the arch whose package set holds it: asked for only when the digest is written.</param>
        /// <param name="head">Hashed before <paramref name="text"/> into the key.</param>
        /// <param name="text">The same list as UTF-8 text (paths, and arches unless <paramref name="head"/> names the one arch): what the key hashes.</param>
        public void Write(string digestPath, IEnumerable<string> arches, Func<IReadOnlyList<(string Path, string Arch)>> files, string head, ReadOnlySpan<byte> text)
        {
            var key = Key(arches, head, text);
            if (key is not null && _old.GetValueOrDefault(digestPath) == key && File.Exists(digestPath))
            {
                _new[digestPath] = key;
                return;
            }
            AtomicFile.WriteIfChanged(digestPath, PackageDigest(files().Select(f => (f.Path, _factsOf(f.Arch, f.Path)))));
            if (key is not null) _new[digestPath] = key;
        }

        public void Save()
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_keysPath)!);
            AtomicFile.WriteIfChanged(_keysPath, string.Concat(_new.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}\t{kv.Value}\n")));
        }

        /// <summary>The list, the identities of the sets it reads and the library build (which fixes the digest's form); null without identities.</summary>
        private string? Key(IEnumerable<string> arches, string head, ReadOnlySpan<byte> text)
        {
            var sb = new System.Text.StringBuilder();
            sb.Append(typeof(GatherPhase).Assembly.ManifestModule.ModuleVersionId).Append('\n');
            foreach (var arch in arches.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                if (_identityOf(arch) is not { } identity) return null;
                sb.Append(arch).Append('=').Append(identity).Append('\n');
            }
            sb.Append(head);
            using var h = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
            h.AppendData(System.Text.Encoding.UTF8.GetBytes(sb.ToString()));
            h.AppendData(text);
            return Convert.ToHexStringLower(h.GetHashAndReset());
        }
    }

    /// <summary>Each line and a newline, as UTF-8.</summary>
    private static byte[] ListText(IReadOnlyList<string> lines)
    {
        int length = 0;
        foreach (var l in lines) length += System.Text.Encoding.UTF8.GetByteCount(l) + 1;
        var bytes = new byte[length];
        int at = 0;
        foreach (var l in lines)
        {
            at += System.Text.Encoding.UTF8.GetBytes(l, bytes.AsSpan(at));
            bytes[at++] = (byte)'\n';
        }
        return bytes;
    }

    private static string PackageDigest(IEnumerable<(string Path, (long Size, long FileTime, string? Checksum)? Facts)> files)
    {
        var text = new System.Text.StringBuilder();
        foreach (var (path, facts) in files)
        {
            text.Append(path);
            if (facts is var (size, fileTime, checksum))
                text.Append('\t').Append(size).Append('\t').Append(fileTime).Append('\t').Append(checksum);
            text.Append('\n');
        }
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.ToString()))) + "\n";
    }

    /// <summary>What the variants of an arch share: the package set (decoded on demand) and the sacks over it.</summary>
    private sealed class ArchShared(SackPackages set)
    {
        public SackPackages Set { get; } = set;
        /// <summary>One sack per lookaside combination (usually just none), built once for every variant that solves.</summary>
        public Dictionary<string, (IReadOnlyList<GatherRepo> Repos, Lazy<GatherSack> Sack)> Sacks { get; } = new(StringComparer.Ordinal);

        /// <summary>The set's package of a path, decoded (the variant_as_lookaside repos).</summary>
        public RpmPackage? ByPath(string path) => Set.IndexOfPath(path) is int i and >= 0 ? Set[i] : null;

        /// <summary>Size, time and checksum of the set's file at a path (the digests beside the lists), read without decoding.</summary>
        public (long, long, string?)? FactsOf(string path) => Set.IndexOfPath(path) is int i and >= 0 ? Set.FileFacts(i) : null;

        /// <summary>The path of a package the set handed out.</summary>
        public string? PathOf(RpmPackage package) => Set.IndexOf(package) is int i and >= 0 ? Set.PathAt(i) : null;
    }

    /// <summary>One variant.arch's gather: done at once (nodeps, nothing to gather), recalled, or a request to solve.</summary>
    private sealed class Job(Variant variant, string arch)
    {
        public Variant Variant { get; } = variant;
        public string Arch { get; } = arch;
        public List<string> Warnings { get; } = [];
        public PackageMap? Map { get; set; }
        public GatherRequest? Request { get; set; }
        public Lazy<GatherSack>? Sack { get; set; }
        public ArchShared? Shared { get; set; }
        public string? MemoPath { get; set; }
        public string? MemoKey { get; set; }
        public GatherMemo.Entry? Answer { get; set; }
        public Exception? Failure { get; set; }
        /// <summary>How long its own solve took, once solved (not the shared sack's build).</summary>
        public TimeSpan? SolveTime { get; set; }
    }

    private static Job Prepare(GatherPhaseRequest request, Variant variant, string arch, IReadOnlyList<GatherVariant> all,
        Dictionary<(string, string), VariantGatherInput> inputs, ArchShared shared,
        Dictionary<string, Dictionary<string, PackageMap>> maps, IReadOnlyList<VariantLookaside> variantLookasides)
    {
        var job = new Job(variant, arch);
        var set = shared.Set;
        var comps = request.Comps(variant.Uid, arch);
        VariantGatherInput input;
        switch (request.Source)
        {
            case "comps":
                input = SourcesOf(request, variant, arch, all, inputs, set, comps);
                break;
            case "json":
                // Only the comps source is augmented (additional, filter, system-release, inheritance, prepopulate).
                input = new VariantGatherInput();
                if (request.SourceMappingJson is { } mapping)
                    input.Packages.UnionWith(GatherSources.JsonSourcePackages(mapping, variant.Uid, arch, request.SourceMappingFile));
                comps = null;
                break;
            case "none":
                input = new VariantGatherInput();
                break;
            default:
                throw new PungiException(ErrorCodes.GatherUnknownSource, $"GatherSource '{request.Source}' is not one of comps, json, none.");
        }
        // gather_packages: a source with no packages and no groups is skipped, so the variant.arch gets nothing from it.
        if (request.Source != "comps" && input.Packages.Count == 0 && input.Groups.Count == 0)
        {
            job.Map = new PackageMap();
            return job;
        }

        // Inherited groups are looked up in the comps repos the kickstart lists too: the parent's (addon, layered
        // product) and, for optional, the parent's other children's (§3.3.2 step 1).
        var compsSources = new List<CompsModel>();
        if (comps is not null) compsSources.Add(comps);
        if (variant.Parent is { } owner)
        {
            foreach (var related in new[] { owner }.Concat(variant.Type == VariantType.Optional ? owner.Children.Where(c => c != variant) : []))
                if (related.HasArch(arch) && request.Comps(related.Uid, arch) is { } rc) compsSources.Add(rc);
        }
        var groups = compsSources.SelectMany(c => c.Groups).GroupBy(g => g.Id, StringComparer.Ordinal).Select(g => g.First())
            .Select(g => new GatherGroup(g.Id, g.Packages.Select(p => new GatherGroupPackage(p.Name, p.TypeName, p.Requires)).ToList())).ToList();
        if (request.Method == "nodeps")
        {
            var requests = NodepsGather.ExpandGroups(arch, input.Groups, [groups]).ToList();
            requests.AddRange(input.Packages.Select(p => new NodepsRequest(p.Name, null, p.Arch)));
            var refs = Enumerable.Range(0, set.Count).Select(i => new PackageFileRef(set[i], set.PathAt(i))).ToList();
            job.Map = NodepsGather.Solve(arch, requests, [refs]);
            return job;
        }

        var (lines, conditional, missingGroups) = GatherSources.Kickstart(input, groups, variant.Uid, arch);
        foreach (var g in missingGroups)
            job.Warnings.Add($"{variant.Uid}.{arch}: comps group '{g}' is not in the comps file");

        var repos = new List<GatherRepo> { new("pungi-repo-0", shared.Set) };
        int n = 0;
        var lookasidePaths = ConfigLookup.GetArchVariantData(request.LookasideRepos, arch, variant.Uid);
        foreach (var repo in lookasidePaths)
            repos.Add(new GatherRepo($"lookaside-repo-{n++}", request.LookasideRepo(repo), IsLookaside: true));
        // variant_as_lookaside repos come after the configured ones: upstream appends them to gather_lookaside_repos.
        foreach (var la in variantLookasides)
            repos.Add(new GatherRepo($"lookaside-repo-{n++}", la.Packages, IsLookaside: true));
        var lookasideIdentities = lookasidePaths.Select(GatherMemo.LookasideIdentity).Concat(variantLookasides.Select(l => l.Identity)).ToList();

        var (fulltree, selfhosting) = GatherSources.Options(variant.Type.ToName(), request.Fulltree, request.Selfhosting);
        // Addons and layered products exclude from fulltree the SRPMs already in their parent (§3.1).
        var fulltreeExcludes = new HashSet<string>(StringComparer.Ordinal);
        if (variant.Type is VariantType.Addon or VariantType.LayeredProduct && variant.Parent is { } parent
            && maps.TryGetValue(arch, out var byVariant) && byVariant.TryGetValue(parent.Uid, out var parentMap))
        {
            foreach (var e in parentMap.Srpm)
                fulltreeExcludes.Add(RpmPackage.SplitSourceName(Path.GetFileName(e.Path)));
        }

        var langpacks = comps?.Langpacks.Select(kv => new LangpackMatch(kv.Key, kv.Value)).ToList() ?? [];
        // One sack per lookaside combination, built by the first solve that needs it (a remembered variant needs none);
        // every request over it names the list it was built from.
        var sackKey = string.Join("\n", lookasideIdentities);
        if (!shared.Sacks.TryGetValue(sackKey, out var sack))
            shared.Sacks[sackKey] = sack = (repos, new Lazy<GatherSack>(() => new GatherSack(repos)));
        var solveRequest = new GatherRequest
        {
            Arch = arch,
            Repos = sack.Repos,
            Packages = lines,
            ConditionalPackages = conditional,
            Langpacks = langpacks,
            Prepopulate = input.Prepopulate,
            Greedy = request.Greedy,
            Fulltree = fulltree,
            FulltreeExcludes = fulltreeExcludes,
            Selfhosting = selfhosting,
            MultilibMethods = ConfigLookup.GetArchVariantData(request.Multilib, arch, variant.Uid),
            MultilibBlacklist = ConfigLookup.GetArchData(request.MultilibBlacklist.Select(x => (x.Arch, x.Name)), arch),
            MultilibWhitelist = ConfigLookup.GetArchData(request.MultilibWhitelist.Select(x => (x.Arch, x.Name)), arch),
        };
        job.Request = solveRequest;
        job.Sack = sack.Sack;
        job.Shared = shared;
        if (request.PackageSetIdentity is { } identity)
        {
            job.MemoPath = GatherMemo.PathOf(request.Layout, arch, variant.Uid);
            job.MemoKey = GatherMemo.Key(solveRequest, identity(arch), lookasideIdentities);
            job.Answer = GatherMemo.TryLoad(job.MemoPath, job.MemoKey);
        }
        return job;
    }

    /// <summary>The depsolve of a prepared job; safe to run beside the other variants of its type (a shared sack is read-only but for its thread-safe cache).</summary>
    private static void Solve(Job job)
    {
        try
        {
            var sack = job.Sack!.Value;
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var result = GatherEngine.Solve(job.Request!, sack);
            var shared = job.Shared!;
            // Lookaside packages stay out of the variant: they are flagged and never linked (§2.4).
            job.Answer = new GatherMemo.Entry(PackageMap.From(result, g => shared.PathOf(g.Package) ?? g.Package.Location),
                result.Warnings, result.MissingPatterns, result.UnresolvedDependencies);
            if (job.MemoKey is not null) GatherMemo.Save(job.MemoPath!, job.MemoKey, job.Answer);
            job.SolveTime = watch.Elapsed;
        }
        catch (Exception e) when (e is PungiException or IOException or UnauthorizedAccessException)
        {
            job.Failure = e; // raised in variant order by Finish
        }
    }

    private static PackageMap Finish(GatherPhaseRequest request, Job job, List<string> warnings)
    {
        warnings.AddRange(job.Warnings);
        if (job.Failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(job.Failure);
        if (job.Map is not null) return job.Map;
        var (variant, arch, answer) = (job.Variant, job.Arch, job.Answer!);
        warnings.AddRange(answer.Warnings.Select(w => $"{variant.Uid}.{arch}: {w}"));
        // pungi-gather logs an input that matches nothing and goes on (§3.4 step B): a warning, not silence.
        warnings.AddRange(answer.MissingPatterns.Select(m => $"{variant.Uid}.{arch}: No package matches pattern {m}"));
        if (request.CheckDeps && answer.Unresolved.Count > 0)
            throw new PungiException(ErrorCodes.GatherUnresolvedDependencies,
                $"Gather of {variant.Uid}.{arch} left unresolved dependencies (set CheckDeps=false to go on anyway): "
                + string.Join("; ", answer.Unresolved.Select(u => $"{u.Requirement} required by {u.Package}")));
        foreach (var u in answer.Unresolved)
            warnings.Add($"{variant.Uid}.{arch}: unresolved dependency {u.Requirement} of {u.Package}");
        return answer.Map;
    }

    /// <summary>The variant.arch's gather input (§3.2): comps groups, additional and filter packages, system-release, inheritance.</summary>
    private static VariantGatherInput SourcesOf(GatherPhaseRequest request, Variant variant, string arch, IReadOnlyList<GatherVariant> all,
        Dictionary<(string, string), VariantGatherInput> inputs, SackPackages set, CompsModel? comps)
    {
        if (inputs.TryGetValue((variant.Uid, arch), out var cached)) return cached;
        var input = new VariantGatherInput();
        if (comps is not null) input.Groups.UnionWith(comps.GroupIds);
        foreach (var entry in ConfigLookup.GetArchVariantData(request.AdditionalPackages, arch, variant.Uid))
            input.Packages.Add(GatherSources.ParseAdditional(entry, arch));
        foreach (var entry in ConfigLookup.GetArchVariantData(request.FilterPackages, arch, variant.Uid))
            input.Filters.Add(GatherSources.SplitNameArch(entry));
        if (request.FilterSystemReleasePackages)
        {
            var owner = variant.Type == VariantType.Variant || variant.Parent is null ? variant : variant.Parent;
            // Only the packages providing system-release are read (the index knows them), not the whole set.
            var providers = set.Index.Provides("system-release").Select(x => x.Package).Distinct().Select(i => set[i]);
            var (add, filter) = GatherSources.SelectSystemRelease(providers, new GatherVariant(owner.Uid));
            if (add is not null) input.Packages.Add((add.Name, null));
            foreach (var f in filter) input.Filters.Add((f.Name, null));
        }
        var gv = all.First(g => g.Uid == variant.Uid);
        GatherSources.Inherit(input, gv, all, other =>
        {
            var v = request.Variants.Find(other.Uid)!;
            return v.HasArch(arch) ? SourcesOf(request, v, arch, all, inputs, set, request.Comps(v.Uid, arch)) : new VariantGatherInput();
        });
        if (request.PrepopulateJson is { } prepopulate)
            input.Prepopulate.AddRange(GatherSources.PrepopulatePackages(prepopulate, variant.Uid, arch, request.PrepopulateFile));
        inputs[(variant.Uid, arch)] = input;
        return input;
    }
}
