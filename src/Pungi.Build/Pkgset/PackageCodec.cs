using System.Text;
using Pungi.Build.Rpm;

namespace Pungi.Build.Pkgset;

/// <summary>
/// The fields the package-set rules need (identity, source RPM, signing key, arch lists), read from the front of a
/// cached record without decoding the rest: a warm rerun works on these alone and copies the record bytes through.
/// </summary>
public sealed record PackageSummary(
    string Name,
    string? Epoch,
    string Version,
    string Release,
    string Arch,
    string SourceRpm,
    string? SignatureKeyId,
    IReadOnlyList<string> ExcludeArch,
    IReadOnlyList<string> ExclusiveArch)
{
    public bool IsSource => Arch is "src" or "nosrc";
    public Evr Evr => new(Epoch, Version, Release);
    /// <summary>Pungi's sigkey: last 8 hex digits of the key ID, lower case; null when unsigned.</summary>
    public string? SigKey => SignatureKeyId is { Length: >= 8 } id ? id[^8..] : null;
    public string Nevra => $"{Name}-{(string.IsNullOrEmpty(Epoch) || Epoch == "0" ? "" : Epoch + ":")}{Version}-{Release}.{Arch}";
    /// <summary><c>name-version-release.arch.rpm</c>, what a binary's SOURCERPM names for an SRPM.</summary>
    public string FileName => $"{Name}-{Version}-{Release}.{Arch}.rpm";
    /// <summary>Name part of the SRPM file name (Pungi's <c>parse_nvra(sourcerpm)["name"]</c>).</summary>
    public string SourceName => IsSource ? Name : RpmPackage.SplitSourceName(SourceRpm);
}

/// <summary>
/// Compact binary form of a whole <see cref="RpmPackage"/> (everything repodata needs), used by the header cache and
/// the per-arch package-set files. The summary fields come first so <see cref="ReadSummary"/> stops early.
/// </summary>
public static class PackageCodec
{
    /// <param name="archOverride">Arch to store instead of <see cref="RpmPackage.Arch"/> (repodata writes nosrc as src).</param>
    public static byte[] Encode(RpmPackage p, string? archOverride = null)
    {
        using var ms = new MemoryStream(1024);
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            // summary
            w.Write(p.Name); WriteNullable(w, p.Epoch); w.Write(p.Version); w.Write(p.Release); w.Write(archOverride ?? p.Arch);
            w.Write(p.SourceRpm); WriteNullable(w, p.SignatureKeyId);
            WriteStrings(w, p.ExcludeArch); WriteStrings(w, p.ExclusiveArch);
            // the rest
            w.Write(p.Summary); w.Write(p.Description); w.Write(p.Packager); w.Write(p.Url); w.Write(p.License);
            w.Write(p.Vendor); w.Write(p.Group); w.Write(p.BuildHost);
            w.Write(p.BuildTime); w.Write(p.FileTime); w.Write(p.PackageSize); w.Write(p.InstalledSize); w.Write(p.ArchiveSize);
            w.Write(p.HeaderStart); w.Write(p.HeaderEnd);
            foreach (var deps in new[] { p.Provides, p.Requires, p.Conflicts, p.Obsoletes, p.Recommends, p.Suggests, p.Supplements, p.Enhances })
            {
                w.Write7BitEncodedInt(deps.Count);
                foreach (var d in deps) { w.Write(d.Name); w.Write((uint)d.Flags); WriteNullable(w, d.Version); }
            }
            w.Write7BitEncodedInt(p.Files.Count);
            foreach (var f in p.Files) { w.Write(f.Path); w.Write((byte)f.Type); }
            w.Write7BitEncodedInt(p.Changelogs.Count);
            foreach (var c in p.Changelogs) { w.Write(c.Author); w.Write(c.Date); w.Write(c.Text); }
            WriteNullable(w, p.HeaderSha1); WriteNullable(w, p.HeaderSha256);
            w.Write(p.Location); WriteNullable(w, p.Checksum); w.Write(p.ChecksumType);
        }
        return ms.ToArray();
    }

    /// <summary>The summary at the front of a record: read straight from the bytes, as a rerun reads 20,000 of them.</summary>
    public static PackageSummary ReadSummary(byte[] record)
    {
        var r = new SpanReader(record);
        return new(r.ReadString(), r.ReadNullable(), r.ReadString(), r.ReadString(), r.ReadString(), r.ReadString(),
            r.ReadNullable(), r.ReadStrings(), r.ReadStrings());
    }

    private static PackageSummary ReadSummary(BinaryReader r)
        => new(r.ReadString(), ReadNullable(r), r.ReadString(), r.ReadString(), r.ReadString(), r.ReadString(),
            ReadNullable(r), ReadStrings(r), ReadStrings(r));

    /// <param name="locationOverride">Location to give the package instead of the stored one (a package set's relative path).</param>
    public static RpmPackage Decode(byte[] record, string? locationOverride = null)
    {
        using var r = new BinaryReader(new MemoryStream(record, writable: false), Encoding.UTF8);
        var s = ReadSummary(r);
        string summary = r.ReadString(), description = r.ReadString(), packager = r.ReadString(), url = r.ReadString(),
            license = r.ReadString(), vendor = r.ReadString(), group = r.ReadString(), buildHost = r.ReadString();
        long buildTime = r.ReadInt64(), fileTime = r.ReadInt64(), packageSize = r.ReadInt64(), installedSize = r.ReadInt64(),
            archiveSize = r.ReadInt64(), headerStart = r.ReadInt64(), headerEnd = r.ReadInt64();
        var deps = new Dependency[8][];
        for (int k = 0; k < deps.Length; k++)
        {
            var list = new Dependency[r.Read7BitEncodedInt()];
            for (int i = 0; i < list.Length; i++)
                list[i] = new Dependency(r.ReadString(), (DependencyFlags)r.ReadUInt32(), ReadNullable(r));
            deps[k] = list;
        }
        var files = new PackageFile[r.Read7BitEncodedInt()];
        for (int i = 0; i < files.Length; i++) files[i] = new PackageFile(r.ReadString(), (PackageFileType)r.ReadByte());
        var changelogs = new ChangelogEntry[r.Read7BitEncodedInt()];
        for (int i = 0; i < changelogs.Length; i++) changelogs[i] = new ChangelogEntry(r.ReadString(), r.ReadInt64(), r.ReadString());
        string? sha1 = ReadNullable(r), sha256 = ReadNullable(r);
        string location = r.ReadString();
        string? checksum = ReadNullable(r);
        string checksumType = r.ReadString();
        return new RpmPackage
        {
            Name = s.Name, Epoch = s.Epoch, Version = s.Version, Release = s.Release, Arch = s.Arch, SourceRpm = s.SourceRpm,
            SignatureKeyId = s.SignatureKeyId, ExcludeArch = s.ExcludeArch, ExclusiveArch = s.ExclusiveArch,
            Summary = summary, Description = description, Packager = packager, Url = url, License = license, Vendor = vendor,
            Group = group, BuildHost = buildHost, BuildTime = buildTime, FileTime = fileTime, PackageSize = packageSize,
            InstalledSize = installedSize, ArchiveSize = archiveSize, HeaderStart = headerStart, HeaderEnd = headerEnd,
            Provides = deps[0], Requires = deps[1], Conflicts = deps[2], Obsoletes = deps[3], Recommends = deps[4],
            Suggests = deps[5], Supplements = deps[6], Enhances = deps[7], Files = files, Changelogs = changelogs,
            HeaderSha1 = sha1, HeaderSha256 = sha256, Location = locationOverride ?? location, Checksum = checksum, ChecksumType = checksumType,
        };
    }

    /// <summary>The build time alone: the summary and the eight text fields skipped, nothing else decoded.</summary>
    public static long ReadBuildTime(byte[] record)
    {
        using var r = new BinaryReader(new MemoryStream(record, writable: false), Encoding.UTF8);
        ReadSummary(r);
        for (int i = 0; i < 8; i++) r.ReadString();
        return r.ReadInt64();
    }

    /// <summary>
    /// Size, file time and file checksum alone (what tells one RPM file from another), everything else skipped over
    /// undecoded: the digests beside a 20,000-package list read these and nothing more.
    /// </summary>
    public static (long Size, long FileTime, string? Checksum) ReadFileFacts(byte[] record)
    {
        var ms = new MemoryStream(record, writable: false);
        using var r = new BinaryReader(ms, Encoding.UTF8);
        void Skip() { int length = r.Read7BitEncodedInt(); ms.Position += length; } // length first: `Position +=` reads Position before the call
        void SkipNullable() { if (r.ReadBoolean()) Skip(); }
        void SkipStrings() { for (int n = r.Read7BitEncodedInt(); n > 0; n--) Skip(); }
        Skip(); SkipNullable(); Skip(); Skip(); Skip(); Skip(); SkipNullable(); SkipStrings(); SkipStrings(); // the summary
        for (int i = 0; i < 8; i++) Skip();
        r.ReadInt64(); // build time
        long fileTime = r.ReadInt64(), size = r.ReadInt64();
        ms.Position += 4 * sizeof(long);
        for (int k = 0; k < 8; k++)
            for (int n = r.Read7BitEncodedInt(); n > 0; n--) { Skip(); ms.Position += sizeof(uint); SkipNullable(); }
        for (int n = r.Read7BitEncodedInt(); n > 0; n--) { Skip(); ms.Position += 1; }
        for (int n = r.Read7BitEncodedInt(); n > 0; n--) { Skip(); ms.Position += sizeof(long); Skip(); }
        SkipNullable(); SkipNullable(); Skip();
        return (size, fileTime, ReadNullable(r));
    }

    private static void WriteNullable(BinaryWriter w, string? s)
    {
        w.Write(s is not null);
        if (s is not null) w.Write(s);
    }

    private static string? ReadNullable(BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;

    private static void WriteStrings(BinaryWriter w, IReadOnlyList<string> list)
    {
        w.Write7BitEncodedInt(list.Count);
        foreach (var s in list) w.Write(s);
    }

    private static string[] ReadStrings(BinaryReader r)
    {
        var a = new string[r.Read7BitEncodedInt()];
        for (int i = 0; i < a.Length; i++) a[i] = r.ReadString();
        return a;
    }
}

/// <summary>
/// What <see cref="BinaryReader"/> reads (7-bit lengths, length-prefixed UTF-8 strings, little-endian integers), from a
/// span without a stream or reader per record. Reading past the end throws <see cref="IndexOutOfRangeException"/> or
/// <see cref="ArgumentOutOfRangeException"/>.
/// </summary>
internal ref struct SpanReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _at;

    public int Position => _at;

    public int Read7BitEncodedInt()
    {
        int result = 0;
        for (int shift = 0; shift < 35; shift += 7)
        {
            byte b = _data[_at++];
            result |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw new InvalidDataException("bad 7-bit encoded integer");
    }

    public string ReadString()
    {
        int length = Read7BitEncodedInt();
        var s = length == 0 ? "" : Encoding.UTF8.GetString(_data.Slice(_at, length));
        _at += length;
        return s;
    }

    public string? ReadNullable() => ReadBoolean() ? ReadString() : null;

    public string[] ReadStrings()
    {
        int count = Read7BitEncodedInt();
        if (count == 0) return [];
        var a = new string[count];
        for (int i = 0; i < count; i++) a[i] = ReadString();
        return a;
    }

    public bool ReadBoolean() => _data[_at++] != 0;

    public int ReadInt32()
    {
        int v = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(_data.Slice(_at, 4));
        _at += 4;
        return v;
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        var span = _data.Slice(_at, count);
        _at += count;
        return span;
    }
}
