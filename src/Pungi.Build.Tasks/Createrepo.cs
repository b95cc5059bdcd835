using Pungi.Build.Compression;
using Pungi.Build.Gather;
using Pungi.Build.Pkgset;
using Pungi.Build.Repodata;
using Pungi.Build.Rpm;

namespace Pungi.Build.Tasks;

/// <summary>
/// Createrepo phase (spec §2.6), per variant.arch: repodata for the os tree (with the variant's comps as group file),
/// the debug tree and, in the <c>src</c> instance, the source tree. Package metadata comes from the Pkgset header
/// cache; no RPM is read again.
/// </summary>
public sealed class Createrepo : VariantArchTask
{
    public string? CreaterepoChecksum { get; set; }
    public string? CreaterepoCompression { get; set; }
    public string? CreaterepoDatabase { get; set; }
    public string? HashedDirectories { get; set; }

    protected override void ExecutePhase()
    {
        var (_, v) = LoadVariant();
        if (v.IsEmpty) return;
        var layout = Layout;
        bool hashed = ConfigItems.Bool(HashedDirectories, false);
        var options = new RepodataOptions
        {
            ChecksumType = string.IsNullOrEmpty(CreaterepoChecksum) ? "sha256" : CreaterepoChecksum!,
            Compression = string.IsNullOrEmpty(CreaterepoCompression) ? CompressionKind.Gzip : Compressor.Parse(CreaterepoCompression!),
            Database = ConfigItems.Bool(CreaterepoDatabase, false),
        };
        // Metadata by package path, from the package sets of the arches this tree draws on.
        var byPath = new Dictionary<string, RpmPackage>(StringComparer.Ordinal);
        foreach (var a in SourceArches(v))
            foreach (var e in PackageSetStore.Load(layout.WorkDir, a).Packages)
                byPath.TryAdd(e.Path, e.Package);

        if (Arch == "src")
        {
            var srpms = SourceArches(v).SelectMany(a => ReadList(layout.PackageList(a, v, "srpm"))).Distinct(StringComparer.Ordinal).ToList();
            Write(layout.Repository(v, "src"), layout.Packages(v, "src"), srpms, byPath, hashed, options, "srpm");
            return;
        }
        var comps = layout.Comps(Arch, v);
        Write(layout.Repository(v, Arch), layout.Packages(v, Arch), ReadList(layout.PackageList(Arch, v, "rpm")).ToList(), byPath, hashed,
            options with { GroupFile = File.Exists(comps) ? comps : null }, "rpm");
        var debug = ReadList(layout.PackageList(Arch, v, "debuginfo")).ToList();
        if (debug.Count > 0)
            Write(layout.DebugRepository(v, Arch), layout.DebugPackages(v, Arch), debug, byPath, hashed, options, "debuginfo");
    }

    private void Write(string repoDir, string packagesDir, IReadOnlyList<string> files, Dictionary<string, RpmPackage> byPath, bool hashed,
        RepodataOptions options, string type)
    {
        var packages = new List<RpmPackage>(files.Count);
        foreach (var file in files)
        {
            if (!byPath.TryGetValue(file, out var pkg))
                throw new Diagnostics.PungiException(Diagnostics.ErrorCodes.CreaterepoUnknownPackage,
                    $"'{file}' is in the {type} package list of {Variant}.{Arch} but not in the package set; rerun Pkgset and Gather.");
            var linked = PackageLinker.TargetPath(packagesDir, Path.GetFileName(file), hashed);
            if (!File.Exists(linked))
                throw new Diagnostics.PungiException(Diagnostics.ErrorCodes.CreaterepoPackageMissing,
                    $"Package file '{linked}' disappeared since Gather linked it; rebuild the compose.");
            packages.Add(pkg.WithLocation(Path.GetRelativePath(repoDir, linked).Replace('\\', '/')));
        }
        Directory.CreateDirectory(repoDir);
        // Reproducible: without SOURCE_DATE_EPOCH the revision is the newest build time, not the clock.
        if (options.Timestamp is null && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH")))
            options = options with { Timestamp = packages.Count == 0 ? 0 : packages.Max(p => p.BuildTime) };
        var result = RepodataWriter.Write(repoDir, packages, options);
        LogProgress($"Createrepo {Variant}.{Arch} ({type}): {result.PackageCount} packages in {repoDir}");
    }
}
