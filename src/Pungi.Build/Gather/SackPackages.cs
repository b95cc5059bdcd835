using System.Collections;
using System.Collections.Concurrent;
using Pungi.Build.Pkgset;
using Pungi.Build.Rpm;

namespace Pungi.Build.Gather;

/// <summary>
/// An arch's package set as Gather reads it: every package's path and identity (name, EVR, arch, source RPM) up
/// front, the whole package decoded only when something reads it, and the depsolver's lookup index
/// (<see cref="SackIndex"/>) saved beside the compose's other gather files. A rerun that solves one variant then
/// decodes the packages that solve touches, not the whole set; the result is the same as over decoded packages.
/// Thread-safe: the variants of an arch solve at once over one set. Read straight from a store, it keeps the store
/// mapped until disposed (the Gather phase disposes its sets when it is done).
/// </summary>
public sealed class SackPackages : IReadOnlyList<RpmPackage>, IDisposable
{
    private readonly IDisposable? _source;
    private readonly Func<int, byte[]>? _record;
    private readonly RpmPackage?[] _packages;
    private readonly string[] _paths;
    private readonly PackageKey[] _keys;
    private readonly ConcurrentDictionary<RpmPackage, int> _indexOf = new(ReferenceEqualityComparer.Instance);
    private readonly Func<IReadOnlyList<RpmPackage>, SackIndex> _makeIndex;
    private SackIndex? _index;
    private Dictionary<string, int>? _byPath;

    private SackPackages(Func<int, byte[]>? record, RpmPackage?[] packages, string[] paths, PackageKey[] keys, Func<IReadOnlyList<RpmPackage>, SackIndex> makeIndex,
        IDisposable? source = null)
    {
        _source = source;
        _record = record;
        _packages = packages;
        _paths = paths;
        _keys = keys;
        _makeIndex = makeIndex;
        for (int i = 0; i < packages.Length; i++)
            if (packages[i] is { } p) _indexOf.TryAdd(p, i);
    }

    /// <summary>Packages already decoded (tests, small sets): the index is built in memory when first needed.</summary>
    public static SackPackages FromPackages(IReadOnlyList<PackageSetPackage> set)
        => new(null, set.Select(p => (RpmPackage?)p.Package).ToArray(), set.Select(p => p.Path).ToArray(),
            set.Select(p => PackageKey.Of(p.Package)).ToArray(), packages => SackIndex.Build(packages, ""));

    /// <summary>
    /// A Pkgset store's packages, decoded on demand. The index is read from <paramref name="indexPath"/> when it was
    /// built for <paramref name="identity"/> (the store's fingerprints), else built from every package and saved there.
    /// </summary>
    public static SackPackages FromStore(PackageSet set, string indexPath, string identity)
    {
        var entries = set.Packages.ToArray();
        return new(i => entries[i].Record, new RpmPackage?[entries.Length], entries.Select(e => e.Path).ToArray(),
            entries.Select(e => PackageKey.Of(e.Summary)).ToArray(), IndexAt(indexPath, identity));
    }

    /// <summary>
    /// The compose's package set of <paramref name="arch"/> read straight from its store file (records stay in the
    /// file's bytes until decoded), as <see cref="FromStore"/> otherwise; a compose of several package sets is merged first.
    /// </summary>
    public static SackPackages FromCompose(string workDir, string arch, string indexPath)
    {
        var identity = PackageSetStore.ComposeIdentity(workDir, arch);
        if (PackageSetStore.ViewCompose(workDir, arch) is not { } view)
            return FromStore(PackageSetStore.LoadCompose(workDir, arch), indexPath, identity);
        return new(view.Record, new RpmPackage?[view.Paths.Length], view.Paths, view.Keys, IndexAt(indexPath, identity), view);
    }

    private static Func<IReadOnlyList<RpmPackage>, SackIndex> IndexAt(string indexPath, string identity)
        => packages =>
            {
                var index = SackIndex.TryLoad(indexPath, identity);
                if (index is not null && index.PackageCount == packages.Count) return index;
                // Every package is read to build it: decode them on all cores first, as a cold solve needs them anyway.
                // What the phases before left behind (Pkgset read every header in this process) is collected first, so
                // it does not stack under the whole decoded set in the compose's peak memory (60,000 packages: over 1 GiB).
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                Parallel.For(0, packages.Count, i => _ = packages[i]);
                index = SackIndex.Build(packages, identity);
                Directory.CreateDirectory(Path.GetDirectoryName(indexPath)!);
                index.Save(indexPath);
                return index;
            };

    public int Count => _packages.Length;

    /// <summary>The package at <paramref name="index"/>, decoded the first time it is read.</summary>
    public RpmPackage this[int index]
    {
        get
        {
            var p = Volatile.Read(ref _packages[index]);
            if (p is not null) return p;
            var decoded = PackageCodec.Decode(_record!(index));
            p = Interlocked.CompareExchange(ref _packages[index], decoded, null) ?? decoded;
            _indexOf.TryAdd(p, index);
            return p;
        }
    }

    /// <summary>How many packages have been decoded so far.</summary>
    internal int DecodedCount => _packages.Count(p => Volatile.Read(ref p) is not null);

    /// <summary>The file of the package at <paramref name="index"/>.</summary>
    public string PathAt(int index) => _paths[index];

    internal PackageKey KeyAt(int index) => _keys[index];

    /// <summary>The index of a package this set handed out, or -1.</summary>
    public int IndexOf(RpmPackage package) => _indexOf.TryGetValue(package, out var i) ? i : -1;

    /// <summary>Path → index (the first package of a path).</summary>
    public int IndexOfPath(string path)
    {
        var byPath = LazyInitializer.EnsureInitialized(ref _byPath, () =>
        {
            var d = new Dictionary<string, int>(_paths.Length, StringComparer.Ordinal);
            for (int i = 0; i < _paths.Length; i++) d.TryAdd(_paths[i], i);
            return d;
        });
        return byPath.TryGetValue(path, out var i) ? i : -1;
    }

    /// <summary>Size, file time and checksum of the package at <paramref name="index"/>, without decoding a stored package.</summary>
    public (long Size, long FileTime, string? Checksum) FileFacts(int index)
    {
        if (Volatile.Read(ref _packages[index]) is { } p) return (p.PackageSize, p.FileTime, p.Checksum);
        return PackageCodec.ReadFileFacts(_record!(index));
    }

    /// <summary>The depsolver's lookup index (loaded, or built from every package), once.</summary>
    internal SackIndex Index => LazyInitializer.EnsureInitialized(ref _index, () => _makeIndex(this));

    /// <summary>Releases the store the packages are read from; a package not decoded by then can no longer be.</summary>
    public void Dispose()
    {
        _source?.Dispose();
        _index?.Dispose();
    }

    public IEnumerator<RpmPackage> GetEnumerator()
    {
        for (int i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>What the sack orders and groups packages by, known without decoding them.</summary>
internal readonly record struct PackageKey(string Name, string? Epoch, string Version, string Release, string Arch, string SourceRpm)
{
    public static PackageKey Of(RpmPackage p) => new(p.Name, p.Epoch, p.Version, p.Release, p.Arch, p.SourceRpm);
    public static PackageKey Of(PackageSummary s) => new(s.Name, s.Epoch, s.Version, s.Release, s.Arch, s.SourceRpm);
}
