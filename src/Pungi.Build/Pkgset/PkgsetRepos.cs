using Pungi.Build.Repodata;
using Pungi.Build.Rpm;

namespace Pungi.Build.Pkgset;

/// <summary>
/// The materialised package-set repositories of spec §2.2.1 step 9: <c>work/global/repo/&lt;name&gt;</c> for the global set
/// and <c>work/&lt;arch&gt;/repo/&lt;name&gt;</c> per tree arch, as upstream writes them with
/// <c>createrepo_c &lt;prefix&gt; --baseurl=file://&lt;prefix&gt; --pkglist=&lt;list&gt; --no-database --checksum=&lt;c&gt;</c>: hrefs relative
/// to the path prefix, the prefix as xml:base, so dnf (and a lookaside or external tool) can use the set as a repo.
/// Written from the header cache's records, decoded one package at a time while the XML streams out (never the whole
/// set in memory). A repo whose package list did not change since its repomd.xml is left alone, so an unchanged package
/// set writes nothing; sets with the same packages (an arch set equal to the global one, the usual single-arch compose)
/// are written once and copied, since equal packages and options give equal bytes.
/// </summary>
public static class PkgsetRepos
{
    /// <summary>Writes the repos that are missing or older than their package list; returns the repo dirs written.</summary>
    public static IReadOnlyList<string> Write(PkgsetResult result, string workDir, string checksumType = "sha256", int maxParallelism = 0)
    {
        var stale = Sets(result, workDir)
            .Select(s => (s.Set, Repo: PkgsetPaths.Repo(workDir, s.Set.Arch, s.Set.Name), s.List))
            .Where(s => !IsCurrent(s.Repo, s.List))
            .Select(s => (s.Set, s.Repo, Sorted: SortedAsCreaterepo(s.Set)))
            .ToList();
        if (stale.Count == 0) return [];

        // Same packages in the same order: one write, the other repos copy it.
        var groups = stale.GroupBy(s => string.Join('\n', s.Sorted.Select(e => e.RelativePath)), StringComparer.Ordinal).ToList();
        Parallel.ForEach(groups, new ParallelOptions { MaxDegreeOfParallelism = maxParallelism > 0 ? maxParallelism : Environment.ProcessorCount }, g =>
        {
            var (set, repo, sorted) = g.First();
            RepodataWriter.Write(repo, new DecodedPackageCollection(sorted.Select(e => (e, e.RelativePath)).ToList()), new RepodataOptions
            {
                ChecksumType = checksumType,
                BaseUrl = "file://" + set.PathPrefix,
                // Reproducible: the newest build time, as the Createrepo phase does, never the clock.
                Timestamp = sorted.Count == 0 ? 0 : sorted.Max(e => PackageCodec.ReadBuildTime(e.Record)),
                SortByFileName = false, // already in createrepo_c's order
            });
        });
        foreach (var g in groups)
        {
            var first = g.First();
            foreach (var other in g.Skip(1))
                RepodataWriter.CopyFrom(first.Repo, other.Repo, other.Sorted.Count);
        }
        return stale.Select(s => s.Repo).ToList();
    }

    private static IEnumerable<(PackageSet Set, string List)> Sets(PkgsetResult result, string workDir)
    {
        yield return (result.Global, PkgsetPaths.GlobalPackageList(workDir, result.Name));
        foreach (var set in result.Arches.Values)
            yield return (set, PkgsetPaths.ArchPackageList(workDir, set.Arch, set.Name));
    }

    /// <summary>createrepo_c's task order: by file name (strcmp), equal names in list order (RepodataWriter's own sort).</summary>
    private static List<PackageSetEntry> SortedAsCreaterepo(PackageSet set)
        => set.Packages.OrderBy(e => Path.GetFileName(e.RelativePath), StringComparer.Ordinal).ToList();

    /// <summary>The package list is rewritten only when its content changes, so its mtime dates the set's last change.</summary>
    private static bool IsCurrent(string repo, string list)
    {
        var repomd = Path.Combine(repo, "repodata", "repomd.xml");
        return File.Exists(repomd) && File.Exists(list) && File.GetLastWriteTimeUtc(repomd) >= File.GetLastWriteTimeUtc(list);
    }
}
