using System.Text;
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
        var Set = SummariesByPath(layout);

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

    /// <summary>
    /// Writes rpms.json as <see cref="Build"/> then <see cref="RpmsJson.Write"/> would (same bytes, same warnings, same
    /// errors), keeping each variant.arch's part as a fragment in <paramref name="cacheDir"/> and reusing it while
    /// what made it is unchanged: the variant.arch's three package lists and their content digests (Gather's
    /// <c>stamps/package_list/*.digest</c>: path, size, mtime and checksum of every listed file, so the NEVRAs and
    /// sigkeys read from those files), the identity of the LinkPackages stamps of its tree and its source tree (where
    /// each file is linked), the layout's directories and this assembly's build. Binaries are filed under an SRPM
    /// NEVRA looked up across the whole compose; a fragment remembers every such lookup and is rebuilt when any of
    /// them would resolve differently now. Only changed variant.arches load the package set. Returns whether the
    /// file changed, and counts of fragments reused and rebuilt.
    /// </summary>
    public static (bool Written, int Reused, int Rebuilt) WriteCached(ComposeHeader header, VariantModel model, ComposeLayout layout,
        string path, string cacheDir, Action<string>? warn = null)
    {
        // Only the packages of the variant.arches rebuilt are looked up, so only their summaries are read.
        var index = new SummaryIndex(layout);

        var jobs = new List<(Variant V, string Arch, string Key, RpmsFragment? Cached, Lists? Lists)>();
        foreach (var v in model.All)
            if (!v.IsEmpty)
                foreach (var arch in v.Arches)
                    if (File.Exists(layout.PackageList(arch, v, "rpm")) || File.Exists(layout.PackageList(arch, v, "srpm")))
                    {
                        var key = RpmsFragment.Key(layout, v, arch);
                        var cached = key is null ? null : RpmsFragment.TryLoad(RpmsFragment.PathFor(cacheDir, v, arch), key);
                        var lists = cached is null ? Lists.Read(layout, v, arch, index) : null;
                        jobs.Add((v, arch, key ?? "", cached, lists));
                    }
        var srpmsOf = jobs.Select(j => j.Cached?.Srpms ?? j.Lists!.Srpm
            .Select(file => (Path.GetFileName(file), Nevra(Lookup(index.Get(j.Arch), file, j.V, j.Arch)))).ToList()).ToList();

        // SRPM file name → its NEVRA, across the whole compose, first job first (as Build).
        var srpmNevra = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var srpms in srpmsOf)
            foreach (var (file, nevra) in srpms)
                srpmNevra.TryAdd(file, nevra);

        // A cached fragment whose SRPM lookups would now resolve differently is rebuilt too.
        for (int i = 0; i < jobs.Count; i++)
            if (jobs[i].Cached is { } c && !c.Lookups.All(l => srpmNevra.GetValueOrDefault(l.File) == l.Nevra))
                jobs[i] = jobs[i] with { Cached = null, Lists = Lists.Read(layout, jobs[i].V, jobs[i].Arch, index) };

        Directory.CreateDirectory(cacheDir);
        var fragments = new List<(string Variant, string Arch, string File, CategoryCounts Counts)>();
        int reused = 0, rebuilt = 0;
        for (int i = 0; i < jobs.Count; i++)
        {
            var (v, arch, key, cached, lists) = jobs[i];
            var fragmentPath = RpmsFragment.PathFor(cacheDir, v, arch);
            var fragment = cached;
            if (fragment is null)
            {
                fragment = BuildFragment(layout, v, arch, lists!, index.Get(arch), srpmsOf[i], srpmNevra);
                // An empty key: no LinkPackages stamp to vouch for the tree, so never reused (written for the copy below).
                fragment.Save(fragmentPath, key);
                rebuilt++;
            }
            else reused++;
            foreach (var w in fragment.Warnings) warn?.Invoke(w);
            if (fragment.Entries > 0) fragments.Add((v.Uid, arch, fragmentPath, fragment.Counts));
        }
        // Fragments of variant.arches no longer in the compose go.
        var live = fragments.Select(f => f.File).Concat(jobs.Select(j => RpmsFragment.PathFor(cacheDir, j.V, j.Arch))).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in Directory.EnumerateFiles(cacheDir, "*" + RpmsFragment.Extension))
            if (!live.Contains(stale)) File.Delete(stale);

        var variants = fragments.GroupBy(f => f.Variant, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.OrderBy(f => f.Arch, StringComparer.Ordinal)
                .Select(f => (f.Arch, (Action<PyJsonWriter>)(w => RpmsFragment.CopyJson(f.File, w))))));
        // The file's SHA-256 as it is streamed out keys the report's counts (whether it is replaced or already held these bytes).
        string sha256 = "";
        bool written = Compose.AtomicFile.WriteIfChanged(path, stream =>
        {
            var hashing = new Repodata.HashingWriteStream(stream, "sha256", leaveOpen: true);
            using var sw = new StreamWriter(hashing, new UTF8Encoding(false), 65536);
            RpmsJson.WriteTo(sw, header, variants);
            sw.Flush();
            sha256 = hashing.HexDigest;
        });
        RpmsCounts.Save(RpmsCounts.PathFor(layout), sha256, header.Id,
            fragments.Select(f => ($"{f.Variant}.{f.Arch}", f.Counts)));
        return (written, reused, rebuilt);
    }

    /// <summary>A variant.arch's three package lists, read once; their paths are asked of the summary index when read.</summary>
    private sealed record Lists(List<string> Srpm, List<string> Rpm, List<string> Debuginfo)
    {
        public static Lists Read(ComposeLayout layout, Variant v, string arch, SummaryIndex index)
        {
            var lists = new Lists(ReadList(layout.PackageList(arch, v, "srpm")).ToList(), ReadList(layout.PackageList(arch, v, "rpm")).ToList(),
                ReadList(layout.PackageList(arch, v, "debuginfo")).ToList());
            index.Want(arch, lists.Srpm.Concat(lists.Rpm).Concat(lists.Debuginfo));
            return lists;
        }
    }

    /// <summary>
    /// Package-set summaries by path for the paths asked for with <see cref="Want"/>, read from each arch's set the first
    /// time that arch is asked for after new paths were wanted (see <see cref="PackageSetStore.LoadComposeSummaries"/>).
    /// A path wanted but not in the set stays missing, so its lookup fails as it would against the whole set.
    /// </summary>
    private sealed class SummaryIndex(ComposeLayout layout)
    {
        private readonly Dictionary<string, Dictionary<string, PackageSummary>> _loaded = new(StringComparer.Ordinal);
        private readonly Dictionary<string, HashSet<string>> _asked = new(StringComparer.Ordinal);
        private readonly Dictionary<string, HashSet<string>> _pending = new(StringComparer.Ordinal);

        public void Want(string arch, IEnumerable<string> paths)
        {
            if (!_asked.TryGetValue(arch, out var asked)) _asked[arch] = asked = new HashSet<string>(StringComparer.Ordinal);
            if (!_pending.TryGetValue(arch, out var pending)) _pending[arch] = pending = new HashSet<string>(StringComparer.Ordinal);
            foreach (var p in paths)
                if (asked.Add(p)) pending.Add(p);
        }

        public Dictionary<string, PackageSummary> Get(string arch)
        {
            if (!_loaded.TryGetValue(arch, out var byPath)) _loaded[arch] = byPath = new Dictionary<string, PackageSummary>(StringComparer.Ordinal);
            if (_pending.TryGetValue(arch, out var pending) && pending.Count > 0)
            {
                foreach (var (p, summary) in PackageSetStore.LoadComposeSummaries(layout.WorkDir, arch, pending))
                    byPath[p] = summary;
                pending.Clear();
            }
            return byPath;
        }
    }

    /// <summary>One variant.arch's entries exactly as <see cref="Build"/> adds them, serialised at the arch's depth.</summary>
    private static RpmsFragment BuildFragment(ComposeLayout layout, Variant v, string arch, Lists lists, Dictionary<string, PackageSummary> set,
        List<(string File, string Nevra)> srpms, Dictionary<string, string> srpmNevra)
    {
        var rpms = new RpmsJson(new ComposeHeader("", "", "", 0, null, false));
        var warnings = new List<string>();
        var lookups = new Dictionary<string, string?>(StringComparer.Ordinal);
        using var linked = new LinkedFiles();
        int entries = 0;
        foreach (var file in lists.Srpm)
        {
            var p = Lookup(set, file, v, arch);
            rpms.Add(v.Uid, arch, Nevra(p), Linked(layout, layout.Packages(v, "src"), file, linked), p.SigKey, "source");
            entries++;
        }
        foreach (var (files, category) in new[] { (lists.Rpm, "binary"), (lists.Debuginfo, "debug") })
        {
            var dir = category == "binary" ? layout.Packages(v, arch) : layout.DebugPackages(v, arch);
            foreach (var file in files)
            {
                var p = Lookup(set, file, v, arch);
                var found = srpmNevra.TryGetValue(p.SourceRpm, out var source);
                lookups.TryAdd(p.SourceRpm, found ? source : null);
                if (!found)
                {
                    source = GuessSourceNevra(p);
                    warnings.Add($"{v.Uid}.{arch}: the SRPM {p.SourceRpm} of {p.Nevra} is not in the compose; rpms.json files it under {source}.");
                }
                rpms.Add(v.Uid, arch, Nevra(p), Linked(layout, dir, file, linked), p.SigKey, category, source);
                entries++;
            }
        }
        var json = new StringWriter();
        var counts = CategoryCounts.None;
        if (rpms.Rpms.TryGetValue(v.Uid, out var arches) && arches.TryGetValue(arch, out var srpmMap))
        {
            RpmsJson.WriteArch(new PyJsonWriter(json, RpmsJson.ArchDepth), srpmMap);
            // What the file holds (a package listed twice is one entry), as a reader of rpms.json counts it.
            counts = CategoryCounts.Count(srpmMap.Values.SelectMany(r => r.Values).Select(e => e.Category));
        }
        return new RpmsFragment(srpms, lookups.Select(kv => (kv.Key, kv.Value)).ToList(), warnings, entries, counts, json.ToString());
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
    private static string Linked(ComposeLayout layout, string dir, string file, LinkedFiles? linked = null)
    {
        var name = Path.GetFileName(file);
        foreach (var hashed in new[] { false, true })
        {
            var path = PackageLinker.TargetPath(dir, name, hashed);
            if (linked?.Exists(path) ?? File.Exists(path))
                return layout.RelativeToCompose(path);
        }
        throw new PungiException(ErrorCodes.RpmsJsonPackageNotLinked,
            $"'{name}' is in a package list but not linked into {dir}; rebuild the compose (LinkPackages).");
    }

    /// <summary>
    /// File.Exists for the files of a fragment's trees, each stat'ed relative to its directory (kept open) rather than by
    /// its full path: a rebuilt variant.arch asks once per package.
    /// </summary>
    private sealed class LinkedFiles : IDisposable
    {
        private readonly Dictionary<string, int> _dirs = new(StringComparer.Ordinal);
        private readonly byte[] _buffer = new byte[256];

        public bool Exists(string path)
        {
            var dir = Path.GetDirectoryName(path)!;
            if (!_dirs.TryGetValue(dir, out var fd)) _dirs[dir] = fd = Directory.Exists(dir) ? Statx.OpenDirectory(dir) : -1;
            return Statx.ExistsAt(fd, Statx.NullTerminated(Path.GetFileName(path)), _buffer) ?? File.Exists(path);
        }

        public void Dispose()
        {
            foreach (var fd in _dirs.Values) Statx.CloseDirectory(fd);
            _dirs.Clear();
        }
    }

    private static IEnumerable<string> ReadList(string path)
        => File.Exists(path) ? File.ReadLines(path).Where(l => l.Length > 0) : [];

    /// <summary>Each arch's package-set summaries by path, loaded the first time an arch is asked for.</summary>
    private static Func<string, Dictionary<string, PackageSummary>> SummariesByPath(ComposeLayout layout)
    {
        var sets = new Dictionary<string, Dictionary<string, PackageSummary>>(StringComparer.Ordinal);
        return arch =>
        {
            if (!sets.TryGetValue(arch, out var byPath))
            {
                byPath = new Dictionary<string, PackageSummary>(StringComparer.Ordinal);
                foreach (var e in PackageSetStore.LoadCompose(layout.WorkDir, arch).Packages)
                    byPath.TryAdd(e.Path, e.Summary);
                sets[arch] = byPath;
            }
            return byPath;
        };
    }
}
