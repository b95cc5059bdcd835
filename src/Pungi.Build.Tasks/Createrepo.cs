using System.Globalization;
using Pungi.Build.Compose;
using Pungi.Build.Compression;
using Pungi.Build.Diagnostics;
using Pungi.Build.Gather;
using Pungi.Build.Pkgset;
using Pungi.Build.Repodata;
using Pungi.Build.Rpm;

namespace Pungi.Build.Tasks;

/// <summary>
/// Createrepo phase (spec §2.6), per variant.arch: repodata for the os tree (with the variant's comps as group file),
/// the debug tree and, in the <c>src</c> instance, the source tree. Package metadata comes from the Pkgset header
/// cache; no RPM is read again. With <c>CreaterepoBackend=createrepo_c</c> the real tool runs instead, with upstream's
/// arguments, the sorted package list in <c>work/&lt;arch&gt;/repo_package_list/</c> and its output in
/// <c>logs/&lt;arch&gt;/createrepo-&lt;V&gt;.&lt;type&gt;.&lt;arch&gt;.log</c>.
/// </summary>
public sealed class Createrepo : VariantArchTask
{
    public string? CreaterepoChecksum { get; set; }
    public string? CreaterepoCompression { get; set; }
    public string? CreaterepoDatabase { get; set; }
    public string? HashedDirectories { get; set; }
    /// <summary><c>native</c> (default) or <c>createrepo_c</c>.</summary>
    public string? CreaterepoBackend { get; set; }
    /// <summary>createrepo_c <c>--workers</c> (upstream <c>createrepo_num_workers</c>, default 3); the native writer ignores it.</summary>
    public string? CreaterepoNumWorkers { get; set; }

    private bool _useCreaterepoC;
    private int _workers;

    protected override void ExecutePhase()
    {
        var (_, v) = LoadVariant();
        if (v.IsEmpty) return;
        var layout = Layout;
        (_useCreaterepoC, _workers) = ParseBackend(CreaterepoBackend, CreaterepoNumWorkers);
        bool hashed = ConfigItems.Bool(HashedDirectories, false);
        var options = new RepodataOptions
        {
            ChecksumType = string.IsNullOrEmpty(CreaterepoChecksum) ? "sha256" : CreaterepoChecksum!,
            Compression = string.IsNullOrEmpty(CreaterepoCompression) ? CompressionKind.Gzip : Compressor.Parse(CreaterepoCompression!),
            Database = ConfigItems.Bool(CreaterepoDatabase, false),
        };
        bool source = Arch == "src";
        List<string> srpms = source ? SourceArches(v).SelectMany(a => ReadList(layout.PackageList(a, v, "srpm"))).Distinct(StringComparer.Ordinal).ToList() : [];
        List<string> rpms = source ? [] : ReadList(layout.PackageList(Arch, v, "rpm")).ToList();
        List<string> debug = source ? [] : ReadList(layout.PackageList(Arch, v, "debuginfo")).ToList();
        // Metadata by package path, from the package sets of the arches this tree draws on: only the tree's own entries
        // are read out of the store (a 20-SRPM tree used to decode the whole set, and every tree to copy it out).
        var wanted = srpms.Concat(rpms).Concat(debug).ToHashSet(StringComparer.Ordinal);
        var byPath = new Dictionary<string, PackageSetEntry>(StringComparer.Ordinal);
        foreach (var a in SourceArches(v))
            foreach (var (path, e) in PackageSetStore.LoadComposeEntries(layout.WorkDir, a, wanted))
                byPath.TryAdd(path, e);

        if (source)
        {
            Write(layout.Repository(v, "src"), layout.Packages(v, "src"), srpms, byPath, hashed, options, "srpm");
            return;
        }
        var comps = layout.Comps(Arch, v);
        Write(layout.Repository(v, Arch), layout.Packages(v, Arch), rpms, byPath, hashed,
            options with { GroupFile = File.Exists(comps) ? comps : null }, "rpm");
        if (debug.Count > 0)
            Write(layout.DebugRepository(v, Arch), layout.DebugPackages(v, Arch), debug, byPath, hashed, options, "debuginfo");
    }

    private void Write(string repoDir, string packagesDir, IReadOnlyList<string> files, Dictionary<string, PackageSetEntry> byPath, bool hashed,
        RepodataOptions options, string type)
    {
        var packages = new List<(PackageSetEntry, string)>(files.Count);
        var locations = new List<string>(files.Count);
        foreach (var file in files)
        {
            if (!byPath.TryGetValue(file, out var entry))
                throw new PungiException(ErrorCodes.CreaterepoUnknownPackage,
                    $"'{file}' is in the {type} package list of {Variant}.{Arch} but not in the package set; rerun Pkgset and Gather.");
            var linked = PackageLinker.TargetPath(packagesDir, Path.GetFileName(file), hashed);
            if (!File.Exists(linked))
                throw new PungiException(ErrorCodes.CreaterepoPackageMissing,
                    $"Package file '{linked}' disappeared since Gather linked it; rebuild the compose.");
            var location = Path.GetRelativePath(repoDir, linked).Replace('\\', '/');
            locations.Add(location);
            packages.Add((entry, location));
        }
        Directory.CreateDirectory(repoDir);
        if (_useCreaterepoC)
        {
            RunCreaterepoC(repoDir, locations, options, type);
            return;
        }
        // Reproducible: without SOURCE_DATE_EPOCH the revision is the newest build time, not the clock.
        if (options.Timestamp is null && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH")))
            options = options with { Timestamp = packages.Count == 0 ? 0 : packages.Max(p => p.Item1.BuildTime) };
        // In createrepo_c's order (file names, strcmp, stable) and decoded one at a time as the XML streams: a
        // 60,000-package tree held every decoded package at once and set the compose's peak memory.
        var sorted = packages.OrderBy(p => Path.GetFileName(p.Item2), StringComparer.Ordinal).ToList();
        var result = RepodataWriter.Write(repoDir, new DecodedPackageCollection(sorted), options with { SortByFileName = false });
        LogProgress($"Createrepo {Variant}.{Arch} ({type}): {result.PackageCount} packages in {repoDir}");
    }

    /// <summary>
    /// Spec §2.6 per unit: the package list (relative to the repo dir, sorted) goes to
    /// <c>work/&lt;arch&gt;/repo_package_list/&lt;V&gt;.&lt;arch&gt;.&lt;type&gt;.conf</c> and the log to
    /// <c>createrepo-&lt;V&gt;.&lt;type&gt;</c> under the unit's arch, both <c>global</c> for the srpm unit.
    /// </summary>
    private void RunCreaterepoC(string repoDir, List<string> locations, RepodataOptions options, string type)
    {
        var layout = Layout;
        var (_, v) = LoadVariant();
        string? unitArch = type == "srpm" ? null : Arch;
        locations.Sort(StringComparer.Ordinal);
        var listFile = layout.RepoPackageList(unitArch, v, type);
        Directory.CreateDirectory(Path.GetDirectoryName(listFile)!);
        AtomicFile.WriteIfChanged(listFile, string.Concat(locations.Select(l => l + "\n")));
        var request = new CreaterepoCRequest
        {
            RepoDir = repoDir,
            PackageListFile = listFile,
            GroupFile = options.GroupFile,
            Checksum = options.ChecksumType,
            Database = options.Database,
            Workers = _workers,
            Compression = string.IsNullOrEmpty(CreaterepoCompression) ? "gz" : CreaterepoCompression!,
        };
        var log = layout.LogFile(unitArch, $"createrepo-{v.Uid}.{type}");
        CreaterepoCTool.Run(request, log, CancellationToken);
        LogProgress($"Createrepo {Variant}.{Arch} ({type}, createrepo_c): {locations.Count} packages in {repoDir}");
    }

    /// <summary>Reads the backend switch and the worker count; upstream's <c>createrepo_num_workers</c> defaults to 3.</summary>
    internal static (bool UseCreaterepoC, int Workers) ParseBackend(string? backend, string? workers)
    {
        bool useC = (backend ?? "").Trim() switch
        {
            "" or "native" => false,
            "createrepo_c" => true,
            var other => throw new PungiException(ErrorCodes.CreaterepoBadBackend,
                $"CreaterepoBackend '{other}' is not one of native, createrepo_c."),
        };
        int n = 3;
        if (!string.IsNullOrWhiteSpace(workers)
            && (!int.TryParse(workers.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out n) || n < 1))
            throw new PungiException(ErrorCodes.CreaterepoBadBackend,
                $"CreaterepoNumWorkers '{workers}' is not a positive whole number.");
        return (useC, n);
    }
}
