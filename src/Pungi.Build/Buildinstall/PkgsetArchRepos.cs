using Pungi.Build.Compose;
using Pungi.Build.Pkgset;
using Pungi.Build.Repodata;

namespace Pungi.Build.Buildinstall;

/// <summary>
/// The package-set arch repositories lorax installs from (upstream <c>pkgset.paths[arch]</c> =
/// <c>work/&lt;arch&gt;/repo/&lt;pkgset&gt;</c>, spec §1.4, §2.3). Upstream's Pkgset phase writes them with
/// createrepo_c; ours keeps the package sets in <c>work/&lt;arch&gt;/pkgset/*.pkgset</c>, so they are written here, on
/// demand, from those sets: one repodata per set, whose locations point at the package set's own files (relative
/// paths, as createrepo_c's <c>--baseurl=file://&lt;prefix&gt;</c> does upstream).
/// </summary>
public static class PkgsetArchRepos
{
    /// <summary>Writes (or rewrites) the arch repos; returns their directories in the order Pkgset recorded the sets.</summary>
    public static List<string> Materialize(ComposeLayout layout, string arch, string checksumType = "sha256")
    {
        var repos = new List<string>();
        // The sets Pkgset recorded for this compose, in its order (a set left from an earlier run with other tags is not one).
        foreach (var name in PackageSetStore.Names(layout.WorkDir))
        {
            var file = PkgsetPaths.Store(layout.WorkDir, arch, name);
            if (!File.Exists(file)) continue;
            var set = PackageSetStore.LoadFile(file);
            var repo = layout.PkgsetRepo(set.Name, arch);
            Directory.CreateDirectory(repo);
            var packages = set.Packages.Select(e => e.Package.WithLocation(Path.GetRelativePath(repo, e.Path).Replace('\\', '/'))).ToList();
            // Reproducible: the revision is the newest build time, as Createrepo does without SOURCE_DATE_EPOCH.
            long? timestamp = string.IsNullOrEmpty(Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH"))
                ? packages.Count == 0 ? 0 : packages.Max(p => p.BuildTime)
                : null;
            RepodataWriter.Write(repo, packages, new RepodataOptions { ChecksumType = checksumType, Timestamp = timestamp });
            repos.Add(repo);
        }
        return repos;
    }
}
