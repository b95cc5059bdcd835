using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Pungi.Build.Gather;
using Pungi.Build.Pkgset;
using Pungi.Build.Variants;

namespace Pungi.Build.Metadata;

/// <summary>
/// The content of <c>rpms.json</c> (spec §2.4, §3.12, §6.2) from what Gather and LinkPackages left behind: the
/// per-variant.arch package lists (<c>work/&lt;arch&gt;/package_list/&lt;V&gt;.&lt;arch&gt;.&lt;type&gt;.conf</c>),
/// the package sets (NEVRA, sigkey, sourcerpm) and the linked files under <c>compose/</c>.
/// </summary>
public static class RpmsManifest
{
    /// <summary>
    /// Every linked package of every non-empty variant and tree arch: SRPMs as <c>source</c> under each binary arch,
    /// binaries as <c>binary</c>, debuginfo as <c>debug</c>, filed under their SRPM's NEVRA. That NEVRA is the one of
    /// the SRPM file the binary names, from the SRPMs of the whole compose (upstream shares its map across
    /// variants); without one it is guessed from <c>sourcerpm</c> with the binary's epoch, and
    /// <paramref name="warn"/> is told, as upstream warns.
    /// </summary>
    public static RpmsJson Build(ComposeHeader header, VariantModel model, ComposeLayout layout, Action<string>? warn = null)
    {
        var rpms = new RpmsJson(header);
        var sets = new Dictionary<string, Dictionary<string, PackageSummary>>(StringComparer.Ordinal);
        Dictionary<string, PackageSummary> Set(string arch)
        {
            if (!sets.TryGetValue(arch, out var byPath))
            {
                byPath = new Dictionary<string, PackageSummary>(StringComparer.Ordinal);
                foreach (var e in PackageSetStore.LoadCompose(layout.WorkDir, arch).Packages)
                    byPath.TryAdd(e.Path, e.Summary);
                sets[arch] = byPath;
            }
            return byPath;
        }

        var jobs = new List<(Variant V, string Arch)>();
        foreach (var v in model.All)
            if (!v.IsEmpty)
                foreach (var arch in v.Arches)
                    if (File.Exists(layout.PackageList(arch, v, "rpm")) || File.Exists(layout.PackageList(arch, v, "srpm")))
                        jobs.Add((v, arch));

        // SRPM file name → its NEVRA, across the whole compose.
        var srpmNevra = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (v, arch) in jobs)
            foreach (var file in ReadList(layout.PackageList(arch, v, "srpm")))
                srpmNevra.TryAdd(Path.GetFileName(file), Nevra(Lookup(Set(arch), file, v, arch)));

        foreach (var (v, arch) in jobs)
        {
            var set = Set(arch);
            foreach (var file in ReadList(layout.PackageList(arch, v, "srpm")))
            {
                var p = Lookup(set, file, v, arch);
                rpms.Add(v.Uid, arch, Nevra(p), Linked(layout, layout.Packages(v, "src"), file), p.SigKey, "source");
            }
            foreach (var (type, category) in new[] { ("rpm", "binary"), ("debuginfo", "debug") })
            {
                var dir = type == "rpm" ? layout.Packages(v, arch) : layout.DebugPackages(v, arch);
                foreach (var file in ReadList(layout.PackageList(arch, v, type)))
                {
                    var p = Lookup(set, file, v, arch);
                    if (!srpmNevra.TryGetValue(p.SourceRpm, out var source))
                    {
                        source = GuessSourceNevra(p);
                        warn?.Invoke($"{v.Uid}.{arch}: the SRPM {p.SourceRpm} of {p.Nevra} is not in the compose; rpms.json files it under {source}.");
                    }
                    rpms.Add(v.Uid, arch, Nevra(p), Linked(layout, dir, file), p.SigKey, category, source);
                }
            }
        }
        return rpms;
    }

    /// <summary>productmd's NEVRA: the epoch always present (<c>0</c> when the package has none).</summary>
    public static string Nevra(PackageSummary p)
        => $"{p.Name}-{(string.IsNullOrEmpty(p.Epoch) ? "0" : p.Epoch)}:{p.Version}-{p.Release}.{p.Arch}";

    /// <summary>Upstream's fallback: the sourcerpm file name split into N-V-R.A, with the binary's epoch.</summary>
    public static string GuessSourceNevra(PackageSummary binary)
    {
        var s = binary.SourceRpm.EndsWith(".rpm", StringComparison.Ordinal) ? binary.SourceRpm[..^4] : binary.SourceRpm;
        int dot = s.LastIndexOf('.'), rel = dot < 0 ? -1 : s.LastIndexOf('-', dot), ver = rel <= 0 ? -1 : s.LastIndexOf('-', rel - 1);
        if (ver <= 0)
            throw new PungiException(ErrorCodes.MetadataInvalid, $"rpms.json: the sourcerpm '{binary.SourceRpm}' of {binary.Nevra} is not name-version-release.arch.rpm.");
        var epoch = string.IsNullOrEmpty(binary.Epoch) ? "0" : binary.Epoch;
        return $"{s[..ver]}-{epoch}:{s[(ver + 1)..]}";
    }

    private static PackageSummary Lookup(Dictionary<string, PackageSummary> set, string file, Variant v, string arch)
        => set.TryGetValue(file, out var p) ? p
            : throw new PungiException(ErrorCodes.RpmsJsonUnknownPackage,
                $"'{file}' is in a package list of {v.Uid}.{arch} but not in the {arch} package set; rerun Pkgset and Gather.");

    /// <summary>Where LinkPackages put the file, relative to <c>compose/</c>: flat or in a hashed subdirectory.</summary>
    private static string Linked(ComposeLayout layout, string dir, string file)
    {
        var name = Path.GetFileName(file);
        foreach (var hashed in new[] { false, true })
        {
            var path = PackageLinker.TargetPath(dir, name, hashed);
            if (File.Exists(path))
                return layout.RelativeToCompose(path);
        }
        throw new PungiException(ErrorCodes.RpmsJsonPackageNotLinked,
            $"'{name}' is in a package list but not linked into {dir}; rebuild the compose (LinkPackages).");
    }

    private static IEnumerable<string> ReadList(string path)
        => File.Exists(path) ? File.ReadLines(path).Where(l => l.Length > 0) : [];
}
