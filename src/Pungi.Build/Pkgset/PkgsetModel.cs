using Pungi.Build.Rpm;

namespace Pungi.Build.Pkgset;

/// <summary>One <c>PackageRepository</c> item (<c>pkgset_repos</c> entry): a directory, for one tree arch or <c>*</c>.</summary>
public sealed record PackageRepositoryInput(string Path, string Arch = "*");

/// <summary>A coded warning Pungi only logs (the MSBuild task logs it as a warning with the file).</summary>
public sealed record PkgsetWarning(string Code, string Message, string? File = null)
{
    public override string ToString() => (File is null ? "" : File + ": ") + $"warning {Code}: {Message}";
}

/// <summary>What the Pkgset phase is asked to build (the config options of spec §2.2 that matter to it).</summary>
public sealed class PkgsetRequest
{
    /// <summary>The compose's <c>work/</c> directory; outputs go under <c>work/global/</c> and <c>work/&lt;arch&gt;/</c>.</summary>
    public required string WorkDir { get; init; }

    /// <summary>Tree arches of the compose (all variants' arches), e.g. x86_64, s390x.</summary>
    public required IReadOnlyList<string> Arches { get; init; }

    /// <summary><c>pkgset_repos</c> for the repos source; ignored when <see cref="Source"/> is given.</summary>
    public IReadOnlyList<PackageRepositoryInput> Repositories { get; init; } = [];

    /// <summary>Where candidate RPMs come from; default: <see cref="RepositorySource"/> over <see cref="Repositories"/>.</summary>
    public IPackageSetSource? Source { get; init; }

    /// <summary>
    /// The repos source's depsolving step (spec §2.2.2: <c>pungi-gather --selfhosting --fulltree --greedy=none
    /// --multilib=all</c> per arch). Null: every candidate of the arch's repositories whose arch the tree takes.
    /// </summary>
    public IPackageSetResolver? Resolver { get; init; }

    /// <summary><c>sigkeys</c> in priority order; null, empty or <c>none</c> entries allow unsigned packages. Default <c>[None]</c>.</summary>
    public IReadOnlyList<string?> Sigkeys { get; init; } = [null];

    /// <summary><c>gather_method == "deps"</c>: packages without an acceptable key are tolerated unless wanted.</summary>
    public bool AllowInvalidSigkeys { get; init; }

    /// <summary>Package names gather is asked for (gather sources, additional packages, comps groups, prepopulate).</summary>
    public IReadOnlyCollection<string> WantedPackages { get; init; } = [];

    /// <summary>Tree arches on which some variant has multilib configured: their sets include the multilib arches.</summary>
    public IReadOnlyCollection<string> MultilibArches { get; init; } = [];

    /// <summary><c>pkgset_exclusive_arch_considers_noarch</c> (default true).</summary>
    public bool ExclusiveArchConsidersNoarch { get; init; } = true;

    /// <summary><c>createrepo_checksum</c>: the file checksum stored with each package for the repodata writer.</summary>
    public string ChecksumType { get; init; } = "sha256";

    /// <summary>Root the package lists are relative to; default: the source's prefix (common parent of the repositories).</summary>
    public string? PathPrefix { get; init; }

    /// <summary>
    /// The listing of the repositories' RPM files taken in this build (<see cref="Compose.FileListing.Stamp"/>, the stamp
    /// MSBuild's <c>WriteFileListing</c> writes: a hash of every <c>.rpm</c> path with its size, mtime in ns, device,
    /// inode and type). Given with the repos source, a run whose listing, options and outputs match the last one's
    /// reuses what that run derived (<see cref="PkgsetRunMemo"/>) instead of listing the repositories, stat'ing every
    /// RPM and loading the header cache. Null, or a listing that does not pin identities (no statx): always the full run.
    /// </summary>
    public string? RepositoryListing { get; init; }

    /// <summary>Header reads in parallel (the machine's cores by default).</summary>
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;
}

/// <summary>One package of a package set: its file, the rule fields, and the whole package decoded on demand.</summary>
public sealed class PackageSetEntry
{
    private RpmPackage? _package;

    internal PackageSetEntry(string path, string relativePath, PackageSummary summary, byte[] record, bool invalidSigkey)
    {
        Path = path;
        RelativePath = relativePath;
        Summary = summary;
        Record = record;
        InvalidSigkey = invalidSigkey;
    }

    /// <summary>Absolute path of the RPM (for repodata-only repositories: repository + location href).</summary>
    public string Path { get; }
    /// <summary>Path relative to the package set's path prefix, as the package lists write it.</summary>
    public string RelativePath { get; }
    public PackageSummary Summary { get; }
    /// <summary>No acceptable sigkey: tolerated at pkgset time (deps gather), Gather must reject it if picked.</summary>
    public bool InvalidSigkey { get; }
    internal byte[] Record { get; }

    /// <summary>The full package (dependencies, files, changelogs, checksum): everything repodata needs.</summary>
    public RpmPackage Package => _package ??= PackageCodec.Decode(Record);

    /// <summary>The build time, read from the record without decoding the package.</summary>
    public long BuildTime => PackageCodec.ReadBuildTime(Record);

    public override string ToString() => Summary.Nevra;
}

/// <summary>The packages of one arch (or <c>global</c>), in the order the package list writes them.</summary>
public sealed class PackageSet
{
    public PackageSet(string name, string arch, string pathPrefix, IReadOnlyList<PackageSetEntry> packages)
    {
        Name = name;
        Arch = arch;
        PathPrefix = pathPrefix;
        Packages = packages;
    }

    /// <summary>A set whose entries are loaded on first use (a warm Pkgset run, whose stores are already on disk).</summary>
    internal PackageSet(string name, string arch, string pathPrefix, int count, Func<IReadOnlyList<PackageSetEntry>> load)
        : this(name, arch, pathPrefix, new LazyEntries(count, load))
    {
    }

    private sealed class LazyEntries(int count, Func<IReadOnlyList<PackageSetEntry>> load) : IReadOnlyList<PackageSetEntry>
    {
        private readonly Lazy<IReadOnlyList<PackageSetEntry>> _entries = new(() =>
        {
            var entries = load();
            if (entries.Count != count) throw new InvalidDataException($"the package set holds {entries.Count} packages, not {count}");
            return entries;
        });

        public int Count => count;
        public PackageSetEntry this[int index] => _entries.Value[index];
        public IEnumerator<PackageSetEntry> GetEnumerator() => _entries.Value.GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    public string Name { get; }
    /// <summary>Tree arch, or <c>global</c>.</summary>
    public string Arch { get; }
    /// <summary>Absolute directory with a trailing slash that <see cref="PackageSetEntry.RelativePath"/> is relative to.</summary>
    public string PathPrefix { get; }
    public IReadOnlyList<PackageSetEntry> Packages { get; }
}

public sealed class PkgsetResult
{
    public required string Name { get; init; }
    public required string PathPrefix { get; init; }
    public required PackageSet Global { get; init; }
    /// <summary>Tree arch → its package set.</summary>
    public required IReadOnlyDictionary<string, PackageSet> Arches { get; init; }
    public required IReadOnlyList<PkgsetWarning> Warnings { get; init; }
    /// <summary>RPM headers opened in this run (new or changed files); 0 on an unchanged rerun.</summary>
    public required int HeadersRead { get; init; }
    /// <summary>Packages taken from the header cache.</summary>
    public required int HeadersFromCache { get; init; }
    /// <summary>NEVRAs kept although no acceptable sigkey was found (deps gather must not pick them).</summary>
    public required IReadOnlyList<string> InvalidSigkeyPackages { get; init; }
    /// <summary>
    /// The run stood on the last one's (<see cref="PkgsetRunMemo"/>): same RPM files, options and outputs, so nothing was
    /// listed, stat'ed, loaded or written and the sets load from their files when first used.
    /// </summary>
    public bool Remembered { get; init; }
    /// <summary>Output files rewritten in this run, and those left untouched because their content was equal.</summary>
    public required IReadOnlyList<string> WrittenFiles { get; init; }
    public required IReadOnlyList<string> UnchangedFiles { get; init; }
}

/// <summary>
/// Package-set entries as packages at given locations, each decoded when enumerated and not kept: a repodata writer
/// streaming 60,000 packages then holds one at a time instead of every decoded package (its file lists, changelogs).
/// </summary>
public sealed class DecodedPackageCollection(IReadOnlyList<(PackageSetEntry Entry, string Location)> entries) : IReadOnlyCollection<RpmPackage>
{
    public int Count => entries.Count;

    public IEnumerator<RpmPackage> GetEnumerator()
    {
        foreach (var (e, location) in entries) yield return PackageCodec.Decode(e.Record, location);
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
