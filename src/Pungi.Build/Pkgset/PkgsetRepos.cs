using Pungi.Build.Repodata;

namespace Pungi.Build.Pkgset;

/// <summary>
/// The materialised package-set repositories of spec §2.2.1 step 9: <c>work/global/repo/&lt;name&gt;</c> for the global set
/// and <c>work/&lt;arch&gt;/repo/&lt;name&gt;</c> per tree arch, as upstream writes them with
/// <c>createrepo_c &lt;prefix&gt; --baseurl=file://&lt;prefix&gt; --pkglist=&lt;list&gt; --no-database --checksum=&lt;c&gt;</c>: hrefs relative
/// to the path prefix, the prefix as xml:base, so dnf (and a lookaside or external tool) can use the set as a repo.
/// Written from the header cache's records; a repo whose package list did not change since its repomd.xml is left
/// alone, so an unchanged package set writes nothing.
/// </summary>
public static class PkgsetRepos
{
    /// <summary>Writes the repos that are missing or older than their package list; returns the repo dirs written.</summary>
    public static IReadOnlyList<string> Write(PkgsetResult result, string workDir, string checksumType = "sha256")
    {
        var written = new List<string>();
        foreach (var (set, list) in Sets(result, workDir))
        {
            var repo = PkgsetPaths.Repo(workDir, set.Arch, set.Name);
            if (IsCurrent(repo, list)) continue;
            var packages = set.Packages.Select(e => e.Package.WithLocation(e.RelativePath)).ToList();
            RepodataWriter.Write(repo, packages, new RepodataOptions
            {
                ChecksumType = checksumType,
                BaseUrl = "file://" + set.PathPrefix,
                // Reproducible: the newest build time, as the Createrepo phase does, never the clock.
                Timestamp = packages.Count == 0 ? 0 : packages.Max(p => p.BuildTime),
            });
            written.Add(repo);
        }
        return written;
    }

    private static IEnumerable<(PackageSet Set, string List)> Sets(PkgsetResult result, string workDir)
    {
        yield return (result.Global, PkgsetPaths.GlobalPackageList(workDir, result.Name));
        foreach (var set in result.Arches.Values)
            yield return (set, PkgsetPaths.ArchPackageList(workDir, set.Arch, set.Name));
    }

    /// <summary>The package list is rewritten only when its content changes, so its mtime dates the set's last change.</summary>
    private static bool IsCurrent(string repo, string list)
    {
        var repomd = Path.Combine(repo, "repodata", "repomd.xml");
        return File.Exists(repomd) && File.Exists(list) && File.GetLastWriteTimeUtc(repomd) >= File.GetLastWriteTimeUtc(list);
    }
}
