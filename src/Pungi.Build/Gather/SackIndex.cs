using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Pungi.Build.Compose;
using Pungi.Build.Rpm;

namespace Pungi.Build.Gather;

/// <summary>
/// What the depsolver looks packages up by, for one repository: every provide (explicit, and the implicit
/// <c>name = [e:]v-r</c> libsolv adds when a package does not provide its own name) and every file path, each
/// mapped to the packages (by their index in the repository) that carry it. Source packages provide nothing.
/// <para>
/// One byte array holding two open-addressing hash tables over UTF-8 keys, so it can be saved as it is and read
/// back with one file read: a Gather rerun then looks up the few thousand requirements its solve meets instead of
/// decoding 20,000 packages to build dictionaries of every provide and file (the packages a solve reads are
/// decoded on demand). <see cref="Identity"/> names the package set it was built from.
/// </para>
/// </summary>
internal sealed class SackIndex : IDisposable
{
    private const string Magic = "PUNGI-SACK-INDEX";
    private const int FormatVersion = 1;
    private const int HashLength = 32;

    // Layout after the header: int provideSlots, int[provideSlots]; int fileSlots, int[fileSlots]; then the records.
    // A slot holds a record's offset or -1. A record: uint hash, int keyLength, key bytes, int count, entries.
    // A provide entry: int package, uint flags, int versionLength (-1: none), version bytes. A file entry: int package.
    // Built in memory, or a saved index mapped (MappedFile: a rerun reads a few lookups of a 7 MB file).
    private readonly byte[]? _bytes;
    private readonly MappedFile? _file;
    private readonly int _provideTable, _provideSlots, _fileTable, _fileSlots;

    private SackIndex(byte[]? bytes, MappedFile? file, string identity, int packageCount, int tables)
    {
        _bytes = bytes;
        _file = file;
        Identity = identity;
        PackageCount = packageCount;
        _provideSlots = ReadInt(tables);
        _provideTable = tables + 4;
        _fileSlots = ReadInt(_provideTable + 4 * _provideSlots);
        _fileTable = _provideTable + 4 * _provideSlots + 4;
    }

    public string Identity { get; }
    public int PackageCount { get; }

    /// <summary>The provides named <paramref name="name"/>: (package index, the provide), in package order.</summary>
    public IEnumerable<(int Package, Dependency Provide)> Provides(string name)
    {
        int at = Find(_provideTable, _provideSlots, name);
        if (at < 0) yield break;
        int count = ReadInt(at);
        at += 4;
        for (int i = 0; i < count; i++)
        {
            int package = ReadInt(at);
            var flags = (DependencyFlags)ReadInt(at + 4);
            int length = ReadInt(at + 8);
            at += 12;
            string? version = null;
            if (length >= 0)
            {
                version = Encoding.UTF8.GetString(Data.Slice(at, length));
                at += length;
            }
            yield return (package, new Dependency(name, flags, version));
        }
    }

    /// <summary>The packages (indices, in order, each once) whose file list holds <paramref name="path"/>.</summary>
    public IEnumerable<int> FileOwners(string path)
    {
        int at = Find(_fileTable, _fileSlots, path);
        if (at < 0) yield break;
        int count = ReadInt(at);
        for (int i = 0; i < count; i++) yield return ReadInt(at + 4 + 4 * i);
    }

    /// <summary>Indexes <paramref name="packages"/> (every one is read: call it with decoded packages).</summary>
    public static SackIndex Build(IReadOnlyList<RpmPackage> packages, string identity)
    {
        var provides = new Dictionary<string, List<(int, Dependency)>>(StringComparer.Ordinal);
        var files = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int i = 0; i < packages.Count; i++)
        {
            var p = packages[i];
            if (p.IsSource) continue; // source packages never provide anything to binaries
            bool self = false;
            foreach (var prov in p.Provides)
            {
                Add(provides, prov.Name, (i, prov));
                if (prov.Name == p.Name) self = true;
            }
            if (!self) Add(provides, p.Name, (i, new Dependency(p.Name, DependencyFlags.Equal, p.Evr.ToString())));
            foreach (var f in p.Files)
            {
                if (!files.TryGetValue(f.Path, out var owners)) files[f.Path] = owners = [];
                if (owners.Count == 0 || owners[^1] != i) owners.Add(i);
            }
        }

        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms, Encoding.UTF8);
        w.Write(Magic);
        w.Write(FormatVersion);
        w.Write(identity);
        w.Write(packages.Count);
        int hashAt = (int)ms.Position;
        w.Write(new byte[HashLength]); // SHA-256 of everything after it, filled in below
        int tables = (int)ms.Position;
        // Tables first (filled in below), then the records they point to.
        int provideSlots = SlotsFor(provides.Count), fileSlots = SlotsFor(files.Count);
        w.Write(provideSlots);
        long provideTable = ms.Position;
        for (int i = 0; i < provideSlots; i++) w.Write(-1);
        w.Write(fileSlots);
        long fileTable = ms.Position;
        for (int i = 0; i < fileSlots; i++) w.Write(-1);

        var provideOffsets = new List<(uint Hash, int Offset)>(provides.Count);
        foreach (var (name, list) in provides)
        {
            var (hash, offset) = WriteKey(w, name);
            w.Write(list.Count);
            foreach (var (package, prov) in list)
            {
                w.Write(package);
                w.Write((uint)prov.Flags);
                if (prov.Version is null) w.Write(-1);
                else
                {
                    var bytes = Encoding.UTF8.GetBytes(prov.Version);
                    w.Write(bytes.Length);
                    w.Write(bytes);
                }
            }
            provideOffsets.Add((hash, offset));
        }
        var fileOffsets = new List<(uint Hash, int Offset)>(files.Count);
        foreach (var (path, owners) in files)
        {
            var (hash, offset) = WriteKey(w, path);
            w.Write(owners.Count);
            foreach (var o in owners) w.Write(o);
            fileOffsets.Add((hash, offset));
        }
        w.Flush();
        var data = ms.ToArray();
        Fill(data, (int)provideTable, provideSlots, provideOffsets);
        Fill(data, (int)fileTable, fileSlots, fileOffsets);
        SHA256.HashData(data.AsSpan(tables), data.AsSpan(hashAt, HashLength));
        return new SackIndex(data, null, identity, packages.Count, tables);
    }

    /// <summary>Writes the index (temp + rename).</summary>
    public void Save(string path) => AtomicFile.Write(path, _bytes ?? Data.ToArray());

    /// <summary>Unmaps a loaded index; lookups after it throw.</summary>
    public void Dispose() => _file?.Dispose();

    private ReadOnlySpan<byte> Data => _file is null ? _bytes : _file.Span;

    /// <summary>The index saved at <paramref name="path"/> if it was built for <paramref name="identity"/>; null otherwise (missing, foreign, damaged).</summary>
    public static SackIndex? TryLoad(string path, string identity)
    {
        MappedFile? file = null;
        try
        {
            if (!File.Exists(path)) return null;
            file = MappedFile.Open(path);
            var data = file.Span;
            var r = new Pkgset.SpanReader(data);
            if (r.ReadString() != Magic || r.ReadInt32() != FormatVersion || r.ReadString() != identity)
            {
                file.Dispose();
                return null;
            }
            int count = r.ReadInt32();
            var hash = r.ReadBytes(HashLength);
            int tables = r.Position;
            // A damaged file is rebuilt, never read out of bounds: the hash covers every table and record.
            if (!SHA256.HashData(data[tables..]).AsSpan().SequenceEqual(hash))
            {
                file.Dispose();
                return null;
            }
            return new SackIndex(null, file, identity, count, tables);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or EndOfStreamException or ArgumentException
            or IndexOutOfRangeException or InvalidDataException)
        {
            file?.Dispose();
            return null;
        }
    }

    private int Find(int table, int slots, string key)
    {
        int max = Encoding.UTF8.GetMaxByteCount(key.Length);
        Span<byte> buffer = max <= 512 ? stackalloc byte[max] : new byte[max];
        var bytes = buffer[..Encoding.UTF8.GetBytes(key, buffer)];
        uint hash = Hash(bytes);
        for (int s = (int)(hash & (uint)(slots - 1)); ; s = (s + 1) & (slots - 1))
        {
            int offset = ReadInt(table + 4 * s);
            if (offset < 0) return -1;
            if ((uint)ReadInt(offset) != hash) continue;
            int length = ReadInt(offset + 4);
            if (length == bytes.Length && Data.Slice(offset + 8, length).SequenceEqual(bytes)) return offset + 8 + length;
        }
    }

    private static (uint Hash, int Offset) WriteKey(BinaryWriter w, string key)
    {
        var bytes = Encoding.UTF8.GetBytes(key);
        uint hash = Hash(bytes);
        int offset = (int)w.BaseStream.Position;
        w.Write(hash);
        w.Write(bytes.Length);
        w.Write(bytes);
        return (hash, offset);
    }

    private static void Fill(byte[] data, int table, int slots, List<(uint Hash, int Offset)> keys)
    {
        foreach (var (hash, offset) in keys)
        {
            int s = (int)(hash & (uint)(slots - 1));
            while (BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(table + 4 * s)) >= 0) s = (s + 1) & (slots - 1);
            BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(table + 4 * s), offset);
        }
    }

    /// <summary>At most half full, so a probe ends quickly.</summary>
    private static int SlotsFor(int keys)
    {
        int slots = 16;
        while (slots < 2 * keys) slots <<= 1;
        return slots;
    }

    /// <summary>FNV-1a: stable across processes (string.GetHashCode is randomised per process).</summary>
    private static uint Hash(ReadOnlySpan<byte> bytes)
    {
        uint h = 2166136261;
        foreach (var b in bytes) h = (h ^ b) * 16777619;
        return h;
    }

    private int ReadInt(int at) => BinaryPrimitives.ReadInt32LittleEndian(Data.Slice(at, 4));

    private static void Add<T>(Dictionary<string, List<T>> d, string key, T value)
    {
        if (!d.TryGetValue(key, out var l)) d[key] = l = [];
        l.Add(value);
    }
}
