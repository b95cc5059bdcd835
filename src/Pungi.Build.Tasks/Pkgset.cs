using Microsoft.Build.Framework;
using Pungi.Build.Comps;
using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Pungi.Build.Gather;
using Pungi.Build.Pkgset;
using Pungi.Build.Variants;

namespace Pungi.Build.Tasks;

/// <summary>
/// Pkgset phase (spec §2.2) for <c>PkgsetSource=repos</c>: every RPM header read once through the header cache, the
/// per-arch package sets and package lists written under <c>work/</c> only when their content changes.
/// </summary>
public sealed class Pkgset : ComposePhaseTask
{
    [Required] public string PkgsetSource { get; set; } = "";
    public ITaskItem[] Repositories { get; set; } = [];
    /// <summary>
    /// The stamp <c>WriteFileListing</c> wrote for the repositories' RPM files earlier in this build (path and lstat
    /// identity of each, hashed): lets a rerun with unchanged RPMs reuse the last run's work (PkgsetRequest.RepositoryListing).
    /// </summary>
    public string? RpmListing { get; set; }
    /// <summary><c>sigkeys</c>: key IDs in priority order; empty or <c>none</c> allows unsigned packages.</summary>
    public string? Sigkeys { get; set; }
    public string? GatherMethod { get; set; }
    public string? CreaterepoChecksum { get; set; }
    public string? PkgsetExclusiveArchConsidersNoarch { get; set; }
    /// <summary>Tree arches on which some variant has multilib configured (from the Multilib items).</summary>
    public string? MultilibArches { get; set; }
    /// <summary><c>additional_packages</c> (AdditionalPackage items): part of what the repos source's depsolving asks for.</summary>
    public ITaskItem[] AdditionalPackages { get; set; } = [];
    /// <summary><c>koji_profile</c> (PkgsetSource=koji).</summary>
    public string? KojiProfile { get; set; }
    /// <summary>Stands for <c>/etc</c> when looking for <c>koji.conf.d</c>.</summary>
    public string? KojiConfigDir { get; set; }
    /// <summary><c>pkgset_koji_tag</c>: one package set per tag, named after it.</summary>
    public string? PkgsetKojiTag { get; set; }
    /// <summary><c>pkgset_koji_inherit</c> (default true).</summary>
    public string? PkgsetKojiInherit { get; set; }
    /// <summary>Pungi's <c>--koji-event</c>: pins the event instead of <c>getLastEvent</c>.</summary>
    public string? KojiEvent { get; set; }
    /// <summary><c>pkgset_koji_builds</c>: extra builds (NVRs).</summary>
    public string? PkgsetKojiBuilds { get; set; }
    /// <summary><c>koji_cache</c>: download from topurl into this directory instead of reading a mounted topdir.</summary>
    public string? KojiCache { get; set; }
    public string? SignedPackagesRetries { get; set; }
    public string? SignedPackagesWait { get; set; }

    protected override void ExecutePhase()
    {
        if (PkgsetSource == "koji")
        {
            ExecuteKoji();
            return;
        }
        if (PkgsetSource != "repos")
            throw new PungiException(ErrorCodes.PkgsetSourceUnsupported,
                $"PkgsetSource '{PkgsetSource}' is not available in this build: use 'repos' or 'koji'.",
                ItemLocation.FindProperty(ProjectFile, "PkgsetSource").File, ItemLocation.FindProperty(ProjectFile, "PkgsetSource").Line);
        if (Repositories.Length == 0)
            throw new PungiException(ErrorCodes.PkgsetNoRepositories,
                "PkgsetSource=repos needs at least one <PackageRepository Include=\"…\" /> item.", ProjectFile);

        var model = LoadModel();
        var layout = Layout;
        var repos = new List<PackageRepositoryInput>();
        foreach (var r in Repositories)
        {
            var path = r.GetMetadata("FullPath");
            if (!Directory.Exists(path))
            {
                var (f, l, c) = ItemLocation.Find(r, "PackageRepository");
                throw new PungiException(ErrorCodes.PkgsetRepositoryMissing, $"The package repository '{path}' does not exist.", f ?? ProjectFile, l, c);
            }
            var arch = r.GetMetadata("Arch");
            repos.Add(new PackageRepositoryInput(path, string.IsNullOrEmpty(arch) ? "*" : arch));
        }
        var sigkeys = VariantInputs.SplitList(Sigkeys).Select(k => k.Equals("none", StringComparison.OrdinalIgnoreCase) ? null : k.ToLowerInvariant()).ToList();
        if (sigkeys.Count == 0) sigkeys.Add(null);

        // The repos source pulls each arch's set with the depsolver (§2.2.2) from what gather will ask for: all groups of
        // the arch's comps (Init's work/<arch>/comps/comps-<arch>.xml) and the additional packages of any variant. With
        // nothing wanted (no comps, no additional packages) every candidate of the arch is kept, as before.
        var additional = ConfigItems.VariantArch(AdditionalPackages, "AdditionalPackage");
        var inputs = new Dictionary<string, PkgsetGatherInput>(StringComparer.Ordinal);
        foreach (var arch in model.Arches)
        {
            var compsPath = CompsPaths.ForArch(layout.WorkDir, arch);
            var comps = File.Exists(compsPath) ? CompsModel.Load(compsPath) : null;
            inputs[arch] = new PkgsetGatherInput
            {
                // get_additional_packages(compose, arch, None): every variant's entries, the arch checked as Gather checks it.
                Packages = ConfigLookup.GetArchVariantData(additional, arch, variantUid: null)
                    .Select(e => GatherSources.ParseAdditional(e, arch)).Select(p => p.Arch is null ? p.Name : $"{p.Name}.{p.Arch}")
                    .Distinct(StringComparer.Ordinal).ToList(),
                Groups = comps is null ? [] : PkgsetGatherInput.GroupsOf(comps),
                Langpacks = comps is null ? [] : PkgsetGatherInput.LangpacksOf(comps),
            };
        }
        var resolver = inputs.Values.All(i => i.IsEmpty) ? null : new DepsolveResolver(arch => inputs[arch], layout.WorkDir);

        // Where the phase's time goes (headers, depsolve, set repos), for the bench and a slow compose's log.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var timedResolver = resolver is null ? null : new TimedResolver(resolver);
        var result = PackageSetBuilder.Build(new PkgsetRequest
        {
            Resolver = timedResolver,
            WantedPackages = resolver is null ? [] : inputs.Values.SelectMany(i => i.WantedNames()).ToHashSet(StringComparer.Ordinal),
            WorkDir = layout.WorkDir,
            Arches = model.Arches,
            Repositories = repos,
            RepositoryListing = !string.IsNullOrEmpty(RpmListing) && File.Exists(RpmListing) ? File.ReadAllText(RpmListing) : null,
            Sigkeys = sigkeys,
            AllowInvalidSigkeys = GatherMethod == "deps",
            MultilibArches = ExpandMultilibArches(VariantInputs.SplitList(MultilibArches), model.Arches),
            ExclusiveArchConsidersNoarch = !string.Equals(PkgsetExclusiveArchConsidersNoarch, "false", StringComparison.OrdinalIgnoreCase),
            ChecksumType = string.IsNullOrEmpty(CreaterepoChecksum) ? "sha256" : CreaterepoChecksum!,
        });
        // §2.2.1 step 9: work/<arch>/repo/<name> and work/global/repo/<name>, rewritten only when their package list changed.
        var buildSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var repoDirs = PkgsetRepos.Write(result, layout.WorkDir, string.IsNullOrEmpty(CreaterepoChecksum) ? "sha256" : CreaterepoChecksum!);
        var repoSeconds = clock.Elapsed.TotalSeconds;
        PackageSetStore.WriteNames(layout.WorkDir, [result.Global.Name]);
        foreach (var w in result.Warnings.Concat(resolver?.Warnings ?? []))
            LogWarning(w.Code, w.Message, w.File);
        LogProgress($"Pkgset: {result.Global.Packages.Count} packages ({result.HeadersRead} headers read, {result.HeadersFromCache} from cache); "
            + string.Join(", ", result.Arches.Select(a => $"{a.Key}: {a.Value.Packages.Count}"))
            + $"; {result.WrittenFiles.Count} files written, {result.UnchangedFiles.Count} unchanged, {repoDirs.Count} package-set repos written"
            + System.FormattableString.Invariant($"; sets {buildSeconds:F2} s ({(result.Remembered ? "last run's, " : "")}depsolve {timedResolver?.Seconds ?? 0:F2} s")
            + (resolver is null ? "" : ", " + string.Join(", ", resolver.Recalled.Select(kv => $"{kv.Key} {(kv.Value ? "remembered" : "solved")}")))
            + System.FormattableString.Invariant($"), repos {repoSeconds:F2} s"));
    }

    /// <summary>Times the depsolver inside the package-set build.</summary>
    private sealed class TimedResolver(IPackageSetResolver inner) : IPackageSetResolver
    {
        public double Seconds { get; private set; }

        public IEnumerable<Rpm.RpmPackage> Resolve(string treeArch, IReadOnlyList<Rpm.RpmPackage> candidates)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var r = inner.Resolve(treeArch, candidates).ToList();
            Seconds += sw.Elapsed.TotalSeconds;
            return r;
        }

        public IReadOnlyList<int> Resolve(string treeArch, IReadOnlyList<PackageSummary> candidates, string poolIdentity, Func<IReadOnlyList<Rpm.RpmPackage>> decode)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var r = inner.Resolve(treeArch, candidates, poolIdentity, decode);
            Seconds += sw.Elapsed.TotalSeconds;
            return r;
        }
    }

    /// <summary>
    /// <c>pkgset_source = "koji"</c> (spec §2.2.1): the event (getLastEvent or KojiEvent, saved to
    /// <c>work/global/koji-event</c>), then one package set per tag from <c>listTaggedRPMS</c>, with the copies the
    /// sigkeys choose under the mounted topdir (or downloaded into KojiCache), materialised as for any source.
    /// </summary>
    private void ExecuteKoji()
    {
        var profileLoc = ItemLocation.FindProperty(ProjectFile, "PkgsetSource");
        if (string.IsNullOrEmpty(KojiProfile))
            throw new PungiException(ErrorCodes.KojiImagesNoProfile, "PkgsetSource=koji needs the KojiProfile property (koji_profile).", profileLoc.File ?? ProjectFile, profileLoc.Line);
        var tags = VariantInputs.SplitList(PkgsetKojiTag);
        if (tags.Count == 0)
            throw new PungiException(ErrorCodes.KojiPkgsetNoTag, "PkgsetSource=koji needs PkgsetKojiTag (pkgset_koji_tag): the Koji tag(s) to take packages from.", profileLoc.File ?? ProjectFile, profileLoc.Line);
        var model = LoadModel();
        var layout = Layout;
        var profile = Koji.KojiProfile.Load(KojiProfile!, string.IsNullOrEmpty(KojiConfigDir) ? null : KojiConfigDir);
        using var client = Koji.KojiClient.FromProfile(profile);
        using var http = new HttpClient();
        long? pinned = long.TryParse(KojiEvent, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var e) ? e : null;
        var ev = KojiPkgsetEvent.ResolveAsync(client, layout.WorkDir, pinned, CancellationToken).GetAwaiter().GetResult();

        var sigkeys = VariantInputs.SplitList(Sigkeys).Select(k => k.Equals("none", StringComparison.OrdinalIgnoreCase) ? null : k.ToLowerInvariant()).ToList();
        if (sigkeys.Count == 0) sigkeys.Add(null);
        var multilib = ExpandMultilibArches(VariantInputs.SplitList(MultilibArches), model.Arches);
        var allArches = new HashSet<string>(StringComparer.Ordinal) { "src", "noarch" };
        foreach (var a in model.Arches)
            allArches.UnionWith(Rpm.RpmArches.GetValidArches(a, multilib: multilib.Contains(a), addNoarch: true, addSrc: true));
        var additional = ConfigItems.VariantArch(AdditionalPackages, "AdditionalPackage");
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var arch in model.Arches)
        {
            var compsPath = CompsPaths.ForArch(layout.WorkDir, arch);
            var comps = File.Exists(compsPath) ? CompsModel.Load(compsPath) : null;
            var input = new PkgsetGatherInput
            {
                Packages = ConfigLookup.GetArchVariantData(additional, arch, variantUid: null)
                    .Select(x => GatherSources.ParseAdditional(x, arch)).Select(p => p.Name).Distinct(StringComparer.Ordinal).ToList(),
                Groups = comps is null ? [] : PkgsetGatherInput.GroupsOf(comps),
                Langpacks = comps is null ? [] : PkgsetGatherInput.LangpacksOf(comps),
            };
            wanted.UnionWith(input.WantedNames());
        }
        double.TryParse(SignedPackagesWait, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var wait);
        foreach (var tag in tags)
        {
            var source = KojiPackageSetSource.LoadAsync(client, new KojiPkgsetOptions
            {
                Tag = tag,
                EventId = ev.Id,
                Inherit = ConfigItems.Bool(PkgsetKojiInherit, true),
                Sigkeys = sigkeys,
                AllowInvalidSigkeys = GatherMethod == "deps",
                WantedPackages = wanted,
                AllArches = allArches,
                ExtraBuilds = VariantInputs.SplitList(PkgsetKojiBuilds),
                SignedPackagesRetries = int.TryParse(SignedPackagesRetries, out var r) ? r : 0,
                SignedPackagesWait = TimeSpan.FromSeconds(wait > 0 ? wait : 30),
                TopDir = profile.TopDir,
                Downloader = string.IsNullOrEmpty(KojiCache) || profile.TopUrl is null ? null : new Koji.KojiDownloader(http, profile.TopUrl, KojiCache!),
            }, CancellationToken).GetAwaiter().GetResult();
            var result = PackageSetBuilder.Build(new PkgsetRequest
            {
                Source = source,
                WantedPackages = wanted,
                WorkDir = layout.WorkDir,
                Arches = model.Arches,
                Sigkeys = sigkeys,
                AllowInvalidSigkeys = GatherMethod == "deps",
                MultilibArches = multilib,
                ExclusiveArchConsidersNoarch = !string.Equals(PkgsetExclusiveArchConsidersNoarch, "false", StringComparison.OrdinalIgnoreCase),
                ChecksumType = string.IsNullOrEmpty(CreaterepoChecksum) ? "sha256" : CreaterepoChecksum!,
            });
            foreach (var w in result.Warnings)
                LogWarning(w.Code, w.Message, w.File);
            LogProgress($"Pkgset koji tag {tag} at event {ev.Id}: {result.Global.Packages.Count} packages ({result.HeadersRead} headers read, {result.HeadersFromCache} from cache)");
        }
        // One package set per tag, named after it (§2.2.1 step 4); consumers merge them in this order, first tag winning.
        PackageSetStore.WriteNames(layout.WorkDir, tags);
    }

    /// <summary>
    /// Upstream's <c>is_arch_multilib(conf, arch)</c> is <c>get_arch_variant_data(conf, "multilib", arch, None)</c>: an
    /// <c>Arch="*"</c> item counts for every tree arch except src, so it must widen the per-arch package sets too.
    /// </summary>
    private static List<string> ExpandMultilibArches(List<string> configured, IEnumerable<string> treeArches)
        => configured.Contains("*")
            ? treeArches.Where(a => a != "src").Union(configured.Where(a => a != "*")).ToList()
            : configured;
}
