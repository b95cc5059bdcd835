using System.Globalization;
using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Pungi.Build.Gather;
using Pungi.Build.Rpm;

namespace Pungi.Build.OSTree;

/// <summary>One OSTree unit (spec §2.7: one <c>ostree</c> config block for one variant and arch).</summary>
public sealed class OstreeRequest
{
    /// <summary>The treefile (already checked out from <c>config_url</c> when one is configured).</summary>
    public required string Treefile { get; init; }

    /// <summary>The tree arch; also rpm-ostree's <c>${basearch}</c>.</summary>
    public required string Arch { get; init; }

    /// <summary>
    /// Where the treefile's packages come from: the compose's package set of the arch and the configured local
    /// repositories. Each package's <see cref="RpmPackage.Location"/> is the absolute path of its RPM.
    /// </summary>
    public required IReadOnlyList<GatherRepo> Repos { get; init; }

    /// <summary><c>ostree_repo</c>: created and initialised (archive mode) when its parent exists and it does not.</summary>
    public required string OstreeRepo { get; init; }

    /// <summary><c>ostree_ref</c>: overrides the treefile's <c>ref</c>.</summary>
    public string? OstreeRef { get; init; }

    /// <summary>The resolved <c>version</c> (magic values already expanded), or null for none.</summary>
    public string? Version { get; init; }

    /// <summary><c>tag_ref</c> (default true): false commits without moving the ref (rpm-ostree's commit is kept orphan).</summary>
    public bool TagRef { get; init; } = true;

    /// <summary><c>force_new_commit</c>: commit even when the tree equals the ref's current one.</summary>
    public bool ForceNewCommit { get; init; }

    /// <summary><c>update_summary</c>: <c>ostree summary -u</c> afterwards.</summary>
    public bool UpdateSummary { get; init; }

    /// <summary>The unit's work directory (<c>work/ostree-&lt;N&gt;/</c>): the root is unpacked under it.</summary>
    public required string WorkDir { get; init; }

    /// <summary>The unit's log directory (<c>logs/&lt;arch&gt;/&lt;V&gt;/ostree-&lt;N&gt;/</c>): the ostree log and commitid.log.</summary>
    public required string LogDir { get; init; }

    /// <summary>Commit timestamp (SOURCE_DATE_EPOCH); null lets ostree take the clock.</summary>
    public long? Timestamp { get; init; }
}

/// <summary>What a unit committed.</summary>
public sealed record OstreeResult(string Ref, string CommitId, IReadOnlyList<RpmPackage> Packages, int Files, IReadOnlyList<string> IgnoredKeys);

/// <summary>
/// The local OSTree backend: the treefile's packages are resolved from the compose (the Gather engine, with
/// dependencies, as rpm-ostree's depsolve would, no weak dependencies, no source or debuginfo), their payloads
/// unpacked natively into one root, and that root committed with the <c>ostree</c> CLI. Upstream runs
/// <c>rpm-ostree compose tree</c> (which also runs scriptlets and moves <c>/etc</c> to <c>/usr/etc</c>); the
/// commit here is exactly the union of the packages' payloads (DESIGN.md §8).
/// </summary>
public static class OstreeComposer
{
    public const string CommitIdLog = "commitid.log";

    /// <summary>Resolves the treefile's packages (and their requirements) from <paramref name="repos"/>.</summary>
    public static IReadOnlyList<RpmPackage> Resolve(Treefile treefile, string treefilePath, string arch, IReadOnlyList<GatherRepo> repos)
    {
        var result = GatherEngine.Solve(new GatherRequest
        {
            Arch = arch,
            Repos = repos,
            Packages = treefile.Packages.Concat(treefile.ExcludePackages.Select(e => "-" + e)).ToList(),
            ExcludeSource = true,
            ExcludeDebug = true,
            Greedy = GreedyMethod.None,
        });
        if (result.MissingPatterns.Count > 0)
            throw new PungiException(ErrorCodes.OstreePackageNotFound,
                $"Treefile packages not found in the compose's repositories for {arch}: {string.Join(", ", result.MissingPatterns)}.", treefilePath);
        if (result.UnresolvedDependencies.Count > 0)
            throw new PungiException(ErrorCodes.OstreeUnresolvedDependency,
                $"The treefile's packages do not resolve for {arch}: {string.Join("; ", result.UnresolvedDependencies)}.", treefilePath);
        return result.Rpm.Where(p => !p.IsLookaside).Select(p => p.Package)
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Arch, StringComparer.Ordinal).ToList();
    }

    /// <summary>Unpacks every package's payload into <paramref name="root"/> (emptied first); returns the entries written.</summary>
    public static int Unpack(IEnumerable<RpmPackage> packages, string root, CancellationToken ct = default)
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        Directory.CreateDirectory(root);
        int count = 0;
        foreach (var p in packages)
        {
            ct.ThrowIfCancellationRequested();
            count += RpmPayloadReader.ExtractTo(p.Location, root).Count;
        }
        return count;
    }

    /// <summary>The whole unit: resolve, unpack, init the repo if needed, commit, record the commit id.</summary>
    public static OstreeResult Compose(OstreeRequest request, CancellationToken ct = default)
    {
        var treefile = Treefile.Load(request.Treefile, request.Arch);
        var reference = string.IsNullOrEmpty(request.OstreeRef) ? treefile.Ref : request.OstreeRef.Replace("${basearch}", request.Arch, StringComparison.Ordinal);
        if (string.IsNullOrEmpty(reference))
            throw new PungiException(ErrorCodes.OstreeTreefileInvalid, $"Treefile {request.Treefile} has no 'ref' and the Ostree item no OstreeRef.", request.Treefile);
        var packages = Resolve(treefile, request.Treefile, request.Arch, request.Repos);
        var root = Path.Combine(request.WorkDir, "rootfs");
        int entries = Unpack(packages, root, ct);

        Directory.CreateDirectory(request.LogDir);
        var log = Path.Combine(request.LogDir, "create-ostree-repo.log");
        EnsureRepo(request.OstreeRepo, log, ct);
        var args = new List<string> { "commit", "--repo=" + request.OstreeRepo, "--tree=dir=" + root, "--owner-uid=0", "--owner-gid=0", "--no-xattrs" };
        args.Add(request.TagRef ? "--branch=" + reference : "--orphan");
        args.Add("--subject=" + (request.Version is null ? reference : $"{reference} {request.Version}"));
        if (request.Version is not null) args.Add("--add-metadata-string=version=" + request.Version);
        if (request.TagRef && !request.ForceNewCommit) args.Add("--skip-if-unchanged");
        if (request.Timestamp is { } ts) args.Add("--timestamp=" + DateTimeOffset.FromUnixTimeSeconds(ts).ToString("yyyy-MM-dd HH:mm:ss +0000", CultureInfo.InvariantCulture));
        var commit = LocalTool.Run("ostree", args, request.WorkDir, log, ErrorCodes.OstreeToolFailed, ct).Trim();
        if (commit.Length == 0)
            throw new PungiException(ErrorCodes.OstreeToolFailed, $"ostree commit printed no commit id; see {log}.", log);
        // rpm-ostree's --write-commitid-to: the checksum alone, no newline.
        File.WriteAllText(Path.Combine(request.LogDir, CommitIdLog), commit);
        if (request.UpdateSummary)
            LocalTool.Run("ostree", ["summary", "-u", "--repo=" + request.OstreeRepo], request.WorkDir, log, ErrorCodes.OstreeToolFailed, ct);
        return new OstreeResult(reference, commit, packages, entries, treefile.IgnoredKeys);
    }

    /// <summary>
    /// Upstream makes sure <c>ostree_repo</c> exists; a repository is initialised in archive mode (what composes
    /// publish) when the directory has none. A parent directory that does not exist is a typo, not a new repo.
    /// </summary>
    public static void EnsureRepo(string repo, string log, CancellationToken ct = default)
    {
        var full = Path.GetFullPath(repo);
        var parent = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(full));
        if (parent is null || !Directory.Exists(parent))
            throw new PungiException(ErrorCodes.OstreeRepoMissing, $"The ostree repository path {repo} does not exist (nor its parent directory {parent}).");
        if (File.Exists(full))
            throw new PungiException(ErrorCodes.OstreeRepoMissing, $"The ostree repository path {repo} is a file, not a directory.");
        if (File.Exists(Path.Combine(full, "config"))) return;
        Directory.CreateDirectory(full);
        LocalTool.Run("ostree", ["init", "--repo=" + full, "--mode=archive"], parent, log, ErrorCodes.OstreeToolFailed, ct);
    }
}
