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
                found.AddRange(entries.Select(f => new RpmCandidate(f.Path, repo.Path, arches, IsLink: f.IsLink)));
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
    /// What <see cref="StillInside"/> checks for <paramref name="candidates"/> (as <see cref="GetCandidates"/> gave them),
    /// per repository: the directories of the regular files below it and its symlinked files with their stamps.
    /// </summary>
    internal IReadOnlyList<PkgsetRunMemo.RepoCheck> InsideChecks(IReadOnlyList<RpmCandidate> candidates, IReadOnlyList<FileStamp> stamps)
        => _repositories.Select(repo =>
        {
            var prefix = repo.Path.EndsWith('/') ? repo.Path : repo.Path + "/";
            var below = Enumerable.Range(0, candidates.Count).Where(i => candidates[i].Path.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            return new PkgsetRunMemo.RepoCheck(
                below.Where(i => !candidates[i].IsLink).Select(i => System.IO.Path.GetDirectoryName(candidates[i].Path)!).Distinct(StringComparer.Ordinal).ToList(),
                below.Where(i => candidates[i].IsLink).Select(i => new PkgsetRunMemo.MemoCandidate(candidates[i].Path, stamps[i])).ToList());
        }).ToList();

    /// <summary>
    /// For a rerun whose listing pins every RPM file's lstat identity (so the same files, links and stamps as the last
    /// run): whether what the listing cannot pin still holds. Every repository is a directory; every directory of its
    /// regular RPMs resolves below its real path (a file's real path is its directory's plus its name); every
    /// symlinked RPM resolves inside it and points at a file with the stamp its header was cached under. False on
    /// any difference or failure: the full run, which reports it, follows.
    /// </summary>
    internal bool StillInside(IReadOnlyList<PkgsetRunMemo.RepoCheck> checks)
    {
        if (checks.Count != _repositories.Count) return false;
        try
        {
            for (int i = 0; i < checks.Count; i++)
            {
                var root = _repositories[i].Path;
                if (!Directory.Exists(root)) return false;
                var realRoot = Compose.SafePath.RealPath(root);
                foreach (var dir in checks[i].Dirs)
                    if (!Compose.SafePath.IsInside(realRoot, Compose.SafePath.RealPath(dir))) return false;
                foreach (var link in checks[i].Links)
                {
                    if (FileStamp.Of(link.Path) != link.Stamp) return false;
                    Compose.SafePath.EnsureResolvesInside(root, link.Path, "RPM file");
                }
            }
            return true;
        }
        catch (Exception e) when (e is PungiException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// <see cref="Compose.SafePath.EnsureResolvesInside"/> for every file, resolving each directory once: realpath of a
    /// file that is not itself a symlink is its directory's realpath plus its name, so only links and new directories
    /// cost a walk (a per-file walk was a readlink per path component, as much as reading the headers at 2k files).
    /// </summary>
    private static void EnsureInside(string root, List<(string Path, bool IsLink)> files)
    {
        var realRoot = Compose.SafePath.RealPath(root);
        // A directory whose real path is below the real root holds only files below it (one test per directory);
        // IsInside decides the rest, file by file, as before.
        var realDirs = new Dictionary<string, (string Real, bool Inside)>(StringComparer.Ordinal);
        foreach (var (path, isLink) in files)
        {
            if (isLink)
            {
                Compose.SafePath.EnsureResolvesInside(root, path, "RPM file");
                continue;
            }
            var dir = System.IO.Path.GetDirectoryName(path)!;
            if (!realDirs.TryGetValue(dir, out var d))
            {
                var r = Compose.SafePath.RealPath(dir);
                realDirs[dir] = d = (r, Compose.SafePath.IsInside(realRoot, r));
            }
            if (d.Inside) continue;
            var realDir = d.Real;
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
