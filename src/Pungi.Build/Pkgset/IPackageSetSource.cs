using Pungi.Build.Rpm;

namespace Pungi.Build.Pkgset;

/// <summary>
/// One RPM a source offers: a file whose header the builder reads (through the header cache), or — for a repository
/// that has repodata but no RPM files — the package as repodata describes it.
/// </summary>
/// <param name="Path">Absolute path of the RPM file (repodata-only: repository + location href).</param>
/// <param name="RepositoryRoot">The repository directory the location href is relative to.</param>
/// <param name="ForArches">Tree arches whose depsolving sees this RPM (<c>pkgset_repos[arch]</c>); empty = all (<c>*</c>).</param>
/// <param name="FromRepodata">Set when there is no file to read.</param>
/// <param name="IsLink">The path is a symbolic link (checked to resolve inside its repository).</param>
public sealed record RpmCandidate(string Path, string RepositoryRoot, IReadOnlyList<string> ForArches, RpmPackage? FromRepodata = null, bool IsLink = false)
{
    public bool IsForArch(string treeArch) => ForArches.Count == 0 || ForArches.Contains(treeArch, StringComparer.Ordinal);
}

/// <summary>
/// Where a package set's candidate RPMs come from (Pungi's <c>pkgset_source</c>). The repos source lists directories;
/// a Koji source returns the signed copies it found for a tag (its own sigkey lookup decides the path) under its
/// topdir. The builder does the rest identically: header cache, sigkeys, latest, per-arch subsets, files.
/// </summary>
public interface IPackageSetSource
{
    /// <summary>Package set name: <c>repos</c>, or the Koji tag.</summary>
    string Name { get; }

    /// <summary>Root the package lists are written relative to (Pungi's <c>path_prefix</c>), absolute, ending in <c>/</c>.</summary>
    string PathPrefix { get; }

    /// <summary>Candidates in a deterministic order (this is the "read order" of the package lists).</summary>
    IReadOnlyList<RpmCandidate> GetCandidates(ICollection<PkgsetWarning> warnings);
}

/// <summary>
/// The repos source's per-arch pull (spec §2.2.2: the depsolver with selfhosting, fulltree, greedy none and
/// multilib all over <c>pkgset_repos[arch] + pkgset_repos["*"]</c>). Given the arch's candidates (latest per
/// name.arch, already restricted to arches the tree takes), return the ones the package set keeps.
/// </summary>
public interface IPackageSetResolver
{
    IEnumerable<RpmPackage> Resolve(string treeArch, IReadOnlyList<RpmPackage> candidates);

    /// <summary>
    /// The same choice over candidates known by their summaries, returning the indices of the kept ones.
    /// <paramref name="poolIdentity"/> is a hash of the candidates' paths and whole records; <paramref name="decode"/>
    /// gives the packages. The default decodes and resolves; a resolver that can tell its answer is unchanged without
    /// the packages (a memo) answers without decoding.
    /// </summary>
    IReadOnlyList<int> Resolve(string treeArch, IReadOnlyList<PackageSummary> candidates, string poolIdentity, Func<IReadOnlyList<RpmPackage>> decode)
    {
        var packages = decode();
        return KeptIndices(packages, Resolve(treeArch, packages));
    }

    /// <summary>Positions in <paramref name="candidates"/> of the packages <paramref name="kept"/> names (by reference).</summary>
    static IReadOnlyList<int> KeptIndices(IReadOnlyList<RpmPackage> candidates, IEnumerable<RpmPackage> kept)
    {
        var index = new Dictionary<RpmPackage, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < candidates.Count; i++) index[candidates[i]] = i;
        var result = new List<int>();
        foreach (var p in kept)
            if (index.TryGetValue(p, out var i)) result.Add(i);
        return result;
    }
}
