using Pungi.Build.Compose;
using Pungi.Build.Pkgset;
using Pungi.Build.Repodata;

namespace Pungi.Build.Buildinstall;

/// <summary>
/// The package-set arch repositories lorax installs from (upstream <c>pkgset.paths[arch]</c> =
/// <c>work/&lt;arch&gt;/repo/&lt;pkgset&gt;</c>, spec §1.4, §2.3). Upstream's Pkgset phase writes them with
/// createrepo_c, and so does ours (<see cref="PkgsetRepos"/>); a repo is written here only when it is missing or older
/// than its package set (a package set from a source that did not write its repos), never over a current one.
/// </summary>
public static class PkgsetArchRepos
{
    /// <summary>The arch repos, written where missing or stale; their directories in the order Pkgset recorded the sets.</summary>
    public static List<string> Materialize(ComposeLayout layout, string arch, string checksumType = "sha256")
    {
        var repos = new List<string>();
        // The sets Pkgset recorded for this compose, in its order (a set left from an earlier run with other tags is not one).
        foreach (var name in PackageSetStore.Names(layout.WorkDir))
        {
            var file = PkgsetPaths.Store(layout.WorkDir, arch, name);
            if (!File.Exists(file)) continue;
            var repo = layout.PkgsetRepo(name, arch);
            var repomd = Path.Combine(repo, "repodata", "repomd.xml");
            if (File.Exists(repomd) && File.GetLastWriteTimeUtc(repomd) >= File.GetLastWriteTimeUtc(file))
            {
                repos.Add(repo);
                continue;
            }
            Directory.CreateDirectory(repo);
            var set = PackageSetStore.LoadFile(file);
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
