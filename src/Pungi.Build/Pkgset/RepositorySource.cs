using System.IO.Enumeration;
using Pungi.Build.Diagnostics;
using Pungi.Build.Repodata;

namespace Pungi.Build.Pkgset;

/// <summary>
/// <c>pkgset_source = "repos"</c>: directories of RPMs, searched recursively, each for one tree arch or <c>*</c>.
/// RPM files are the truth when present; a directory with repodata and no RPM files is read from its repodata
/// (paths from the location href). A file reached from several repositories is one candidate for all their arches.
/// </summary>
public sealed class RepositorySource : IPackageSetSource
{
    private readonly IReadOnlyList<PackageRepositoryInput> _repositories;

    public RepositorySource(IReadOnlyList<PackageRepositoryInput> repositories, string name = "repos")
    {
        _repositories = repositories.Select(r => r with { Path = System.IO.Path.GetFullPath(r.Path) }).ToList();
        Name = name;
        PathPrefix = CommonParent(_repositories.Select(r => r.Path));
    }

    public string Name { get; }

    /// <summary>
    /// The deepest directory holding every repository. Upstream hardlinks the pulled RPMs into
    /// <c>work/global/download/</c> and uses that; we leave the files where they are, so the prefix is their common parent.
    /// </summary>
    public string PathPrefix { get; }

    public IReadOnlyList<RpmCandidate> GetCandidates(ICollection<PkgsetWarning> warnings)
    {
        var byPath = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new List<RpmCandidate>();
        foreach (var repo in _repositories)
        {
            if (!Directory.Exists(repo.Path))
                throw new PungiException(ErrorCodes.PkgsetRepositoryMissing,
                    $"the package repository {repo.Path} does not exist or is not a directory (PackageRepository / pkgset_repos)", repo.Path);
            string[] arches = repo.Arch == "*" ? [] : [repo.Arch];
            var entries = new FileSystemEnumerable<(string Path, bool IsLink)>(repo.Path,
                    (ref FileSystemEntry e) => (e.ToFullPath(), (e.Attributes & FileAttributes.ReparsePoint) != 0),
                    new EnumerationOptions { RecurseSubdirectories = true })
                {
                    ShouldIncludePredicate = (ref FileSystemEntry e) => !e.IsDirectory && e.FileName.EndsWith(".rpm", StringComparison.Ordinal),
                }
                .OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
            var found = new List<RpmCandidate>();
            if (entries.Count > 0)
            {
                // A symlink in the repository may point elsewhere in it, never out of it (issue #13).
                EnsureInside(repo.Path, entries);
                found.AddRange(entries.Select(f => new RpmCandidate(f.Path, repo.Path, arches)));
            }
            else if (File.Exists(System.IO.Path.Combine(repo.Path, "repodata", "repomd.xml")))
            {
                List<Rpm.RpmPackage> packages;
                try
                {
                    packages = RepodataReader.Read(repo.Path).ToList();
                }
                catch (PungiException e)
                {
                    throw new PungiException(ErrorCodes.PkgsetBadRepodata,
                        $"the package repository {repo.Path} has no RPM files and its repodata cannot be read ({e.Code}: {e.Message})", e.File ?? repo.Path, inner: e);
                }
                foreach (var p in packages)
                {
                    // Location hrefs are read from outside (lookaside and repodata-only repositories): no '..', no absolute path.
                    string path = Compose.SafePath.Child(repo.Path, p.Location, "Location href");
                    Compose.SafePath.EnsureResolvesInside(repo.Path, path, "Location href");
                    found.Add(new RpmCandidate(path, repo.Path, arches, p));
                }
                found.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
            }
            else
            {
                warnings.Add(new PkgsetWarning(ErrorCodes.PkgsetEmptyRepository,
                    $"the package repository {repo.Path} holds no RPM files and no repodata", repo.Path));
            }
            foreach (var c in found)
            {
                if (byPath.TryGetValue(c.Path, out int i))
                {
                    var old = result[i];
                    // '*' (empty list) wins; otherwise the union of the arches.
                    var merged = old.ForArches.Count == 0 || c.ForArches.Count == 0 ? [] : old.ForArches.Union(c.ForArches).ToList();
                    result[i] = old with { ForArches = merged };
                }
                else
                {
                    byPath[c.Path] = result.Count;
                    result.Add(c);
                }
            }
        }
        return result;
    }

    /// <summary>
    /// <see cref="Compose.SafePath.EnsureResolvesInside"/> for every file, resolving each directory once: realpath of a
    /// file that is not itself a symlink is its directory's realpath plus its name, so only links and new directories
    /// cost a walk (a per-file walk was a readlink per path component, as much as reading the headers at 2k files).
    /// </summary>
    private static void EnsureInside(string root, List<(string Path, bool IsLink)> files)
    {
        var realRoot = Compose.SafePath.RealPath(root);
        var realDirs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, isLink) in files)
        {
            if (isLink)
            {
                Compose.SafePath.EnsureResolvesInside(root, path, "RPM file");
                continue;
            }
            var dir = System.IO.Path.GetDirectoryName(path)!;
            if (!realDirs.TryGetValue(dir, out var realDir))
                realDirs[dir] = realDir = Compose.SafePath.RealPath(dir);
            var real = System.IO.Path.Combine(realDir, System.IO.Path.GetFileName(path));
            if (!Compose.SafePath.IsInside(realRoot, real))
                Compose.SafePath.EnsureResolvesInside(root, path, "RPM file"); // throws with the usual message
        }
    }

    private static string CommonParent(IEnumerable<string> dirs)
    {
        string? common = null;
        foreach (var d in dirs)
        {
            var full = System.IO.Path.TrimEndingDirectorySeparator(d);
            if (common is null) { common = full; continue; }
            while (!(full == common || full.StartsWith(common.EndsWith('/') ? common : common + "/", StringComparison.Ordinal)))
                common = System.IO.Path.GetDirectoryName(common) ?? "/";
        }
        if (common is null) return "/";
        return common.EndsWith('/') ? common : common + "/";
    }
}
