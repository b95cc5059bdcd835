using System.Buffers.Binary;
using System.Text;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Iso;

public enum IsoEntryKind { Directory, File, Symlink }

/// <summary>Which directory tree names come from.</summary>
public enum IsoNameSource
{
    /// <summary>Rock Ridge when the root carries SUSP SP, else Joliet when present, else plain ISO 9660.</summary>
    Auto,
    RockRidge,
    Joliet,
    Iso9660,
}

/// <summary>One file, directory or symlink of an image, with its extents (several for ISO level 3 multi-extent files).</summary>
public sealed record IsoEntry(string Path, IsoEntryKind Kind, long Size, string? LinkTarget, uint Mode, uint Links, uint Serial,
    DateTime MtimeUtc, IReadOnlyList<IsoExtent> Extents);

public readonly record struct IsoExtent(long Lba, long Length);

/// <summary>
/// A small ISO 9660 reader: volume descriptors, directory walk with Rock Ridge (NM, PX, SL, TF, CE) or Joliet
/// names, multi-extent files, and reading a file's bytes as a stream. Reads only the sectors it needs.
/// </summary>
public sealed class IsoReader : IDisposable
{
    private readonly FileStream _fs;
    private readonly string _path;
    private readonly IsoExtent _isoRoot;
    private readonly IsoExtent? _jolietRoot;
    private readonly int _suSkip;

    private IsoReader(string path)
    {
        _path = path;
        _fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var sector = new byte[IsoBinary.SectorSize];
        bool pvd = false;
        for (long lba = 16; lba < 16 + 64; lba++)
        {
            if (!ReadSector(lba, sector) || !sector.AsSpan(1, 5).SequenceEqual("CD001"u8)) break;
            if (sector[0] == 255) break;
            if (sector[0] == 1 && !pvd)
            {
                pvd = true;
                VolumeId = Encoding.ASCII.GetString(sector, 40, 32).TrimEnd(' ', '\0');
                SystemId = Encoding.ASCII.GetString(sector, 8, 32).TrimEnd(' ', '\0');
                ApplicationId = Encoding.ASCII.GetString(sector, 574, 128).TrimEnd(' ', '\0');
                PublisherId = Encoding.ASCII.GetString(sector, 318, 128).TrimEnd(' ', '\0');
                VolumeSectors = IsoBinary.ReadBoth32(sector, 80);
                _isoRoot = new IsoExtent(IsoBinary.ReadBoth32(sector, 156 + 2), IsoBinary.ReadBoth32(sector, 156 + 10));
            }
            else if (sector[0] == 2 && sector[88] == '%' && sector[89] == '/' && sector[90] is (byte)'@' or (byte)'C' or (byte)'E')
            {
                _jolietRoot = new IsoExtent(IsoBinary.ReadBoth32(sector, 156 + 2), IsoBinary.ReadBoth32(sector, 156 + 10));
                JolietVolumeId = Encoding.BigEndianUnicode.GetString(sector, 40, 32).TrimEnd(' ', '\0');
            }
            else if (sector[0] == 0 && Encoding.ASCII.GetString(sector, 7, 23) == "EL TORITO SPECIFICATION")
                BootCatalogLba = BinaryPrimitives.ReadUInt32LittleEndian(sector.AsSpan(0x47));
        }
        if (!pvd)
        {
            _fs.Dispose();
            throw new PungiException(ErrorCodes.IsoNotIso9660, $"{path}: no ISO 9660 primary volume descriptor", path);
        }
        // SUSP 5.3: Rock Ridge is present when the root's "." record starts its system use field with SP.
        var root = ReadDirectory(_isoRoot, rockRidge: false).FirstOrDefault();
        if (root.SystemUse.Length >= 7 && root.SystemUse[0] == 'S' && root.SystemUse[1] == 'P' && root.SystemUse[4] == 0xBE && root.SystemUse[5] == 0xEF)
        {
            HasRockRidge = true;
            _suSkip = root.SystemUse[6];
        }
    }

    public static IsoReader Open(string path) => new(path);

    public string VolumeId { get; } = "";
    public string? JolietVolumeId { get; }
    public string SystemId { get; } = "";
    public string ApplicationId { get; } = "";
    public string PublisherId { get; } = "";
    public long VolumeSectors { get; }
    public bool HasRockRidge { get; }
    public bool HasJoliet => _jolietRoot is not null;
    public long? BootCatalogLba { get; }

    /// <summary>Every entry below the root, depth first, directories before their contents, in on-disc order.</summary>
    public IEnumerable<IsoEntry> Walk(IsoNameSource source = IsoNameSource.Auto)
    {
        var (root, mode) = Resolve(source);
        var stack = new Stack<(IsoExtent Dir, string Path)>();
        stack.Push((root, ""));
        while (stack.Count > 0)
        {
            var (dir, path) = stack.Pop();
            var subdirs = new List<(IsoExtent, string)>();
            foreach (var e in Entries(dir, path, mode))
            {
                yield return e;
                if (e.Kind == IsoEntryKind.Directory) subdirs.Add((e.Extents[0], e.Path));
            }
            for (int i = subdirs.Count - 1; i >= 0; i--) stack.Push(subdirs[i]);
        }
    }

    /// <summary>The entry at <paramref name="path"/> ('/'-separated, relative to the root), or null.</summary>
    public IsoEntry? Find(string path, IsoNameSource source = IsoNameSource.Auto)
    {
        var (dir, mode) = Resolve(source);
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string at = "";
        IsoEntry? found = null;
        foreach (var p in parts)
        {
            found = Entries(dir, at, mode).FirstOrDefault(e => e.Path.EndsWith("/" + p, StringComparison.Ordinal) && e.Path.Length == at.Length + 1 + p.Length);
            if (found is null) return null;
            at = found.Path;
            if (found.Kind == IsoEntryKind.Directory) dir = found.Extents[0];
        }
        return found;
    }

    /// <summary>The bytes of a file, streamed from its extents.</summary>
    public Stream OpenRead(IsoEntry entry)
    {
        if (entry.Kind != IsoEntryKind.File) throw new PungiException(ErrorCodes.IsoPathNotFound, $"{_path}: '{entry.Path}' is not a file", _path);
        return new ExtentStream(_fs, entry.Extents);
    }

    public Stream OpenRead(string path) => OpenRead(Find(path) ?? throw new PungiException(ErrorCodes.IsoPathNotFound, $"{_path}: '{path}' is not in the image", _path));

    /// <summary>Reads raw sectors (for tests and the Test phase: boot catalog, system area).</summary>
    public byte[] ReadSectors(long lba, int count)
    {
        var b = new byte[count * IsoBinary.SectorSize];
        _fs.Position = lba * IsoBinary.SectorSize;
        _fs.ReadAtLeast(b, b.Length, throwOnEndOfStream: false);
        return b;
    }

    private (IsoExtent Root, IsoNameSource Mode) Resolve(IsoNameSource source) => source switch
    {
        IsoNameSource.Auto when HasRockRidge => (_isoRoot, IsoNameSource.RockRidge),
        IsoNameSource.Auto when _jolietRoot is { } j => (j, IsoNameSource.Joliet),
        IsoNameSource.Auto => (_isoRoot, IsoNameSource.Iso9660),
        IsoNameSource.Joliet => (_jolietRoot ?? throw new PungiException(ErrorCodes.IsoNotIso9660, $"{_path}: no Joliet tree", _path), IsoNameSource.Joliet),
        _ => (_isoRoot, source),
    };

    private IEnumerable<IsoEntry> Entries(IsoExtent dir, string parentPath, IsoNameSource mode)
    {
        bool rr = mode == IsoNameSource.RockRidge;
        IsoEntry? pending = null;
        List<IsoExtent>? pendingExtents = null;
        foreach (var r in ReadDirectory(dir, rr).Skip(2))
        {
            if (pending is not null)
            {
                // ECMA-119 6.5.1 multi-extent: the following records of the same file add extents.
                pendingExtents!.Add(new IsoExtent(r.Lba, r.Length));
                if ((r.Flags & 0x80) == 0)
                {
                    yield return pending with { Size = pendingExtents.Sum(e => e.Length), Extents = pendingExtents };
                    pending = null;
                }
                continue;
            }
            string name = mode switch
            {
                IsoNameSource.Joliet => StripVersion(Encoding.BigEndianUnicode.GetString(r.Id)),
                _ => StripVersion(Encoding.ASCII.GetString(r.Id)).TrimEnd('.'),
            };
            var kind = (r.Flags & 2) != 0 ? IsoEntryKind.Directory : IsoEntryKind.File;
            uint mode2 = 0, links = 1, serial = 0;
            string? target = null;
            DateTime mtime = r.Time;
            if (rr)
            {
                var rrInfo = ParseRockRidge(r.SystemUse);
                if (rrInfo.Name is not null) name = rrInfo.Name;
                mode2 = rrInfo.Mode;
                links = rrInfo.Links;
                serial = rrInfo.Serial;
                if (rrInfo.Mtime is { } t) mtime = t;
                if ((rrInfo.Mode & 0xF000) == 0xA000 || rrInfo.LinkTarget is not null)
                {
                    kind = IsoEntryKind.Symlink;
                    target = rrInfo.LinkTarget ?? "";
                }
            }
            var entry = new IsoEntry(parentPath + "/" + name, kind, kind == IsoEntryKind.File ? r.Length : 0, target, mode2, links, serial, mtime,
                [new IsoExtent(r.Lba, r.Length)]);
            if ((r.Flags & 0x80) != 0 && kind == IsoEntryKind.File)
            {
                pending = entry;
                pendingExtents = [new IsoExtent(r.Lba, r.Length)];
                continue;
            }
            yield return entry;
        }
    }

    private static string StripVersion(string id)
    {
        int semi = id.LastIndexOf(';');
        return semi >= 0 ? id[..semi] : id;
    }

    private readonly record struct Record(byte[] Id, long Lba, long Length, byte Flags, DateTime Time, byte[] SystemUse);

    private List<Record> ReadDirectory(IsoExtent dir, bool rockRidge)
    {
        var data = new byte[dir.Length];
        _fs.Position = dir.Lba * IsoBinary.SectorSize;
        _fs.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        var list = new List<Record>();
        int pos = 0;
        while (pos < data.Length)
        {
            int len = data[pos];
            if (len == 0)
            {
                pos = (pos / IsoBinary.SectorSize + 1) * IsoBinary.SectorSize;
                continue;
            }
            if (len < 34 || pos + len > data.Length) throw new PungiException(ErrorCodes.IsoNotIso9660, $"{_path}: bad directory record at sector {dir.Lba}", _path);
            var r = data.AsSpan(pos, len);
            int idLen = r[32];
            int suStart = 33 + idLen + (idLen % 2 == 0 ? 1 : 0);
            if (rockRidge) suStart += _suSkip;
            list.Add(new Record(r.Slice(33, idLen).ToArray(), IsoBinary.ReadBoth32(r, 2), IsoBinary.ReadBoth32(r, 10), r[25],
                IsoBinary.ReadDirDate(r, 18), suStart < len ? r[suStart..].ToArray() : []));
            pos += len;
        }
        return list;
    }

    private sealed class RrInfo
    {
        public string? Name;
        public string? LinkTarget;
        public uint Mode, Links = 1, Serial;
        public DateTime? Mtime;
    }

    private RrInfo ParseRockRidge(byte[] su)
    {
        var info = new RrInfo();
        var name = new List<byte>();
        bool hasName = false;
        var link = new StringBuilder();
        bool linkStarted = false, componentContinues = false;
        var area = su;
        for (int guard = 0; area.Length > 0 && guard < 64; guard++)
        {
            byte[]? next = null;
            int at = 0;
            while (at + 4 <= area.Length)
            {
                string sig = Encoding.ASCII.GetString(area, at, 2);
                int len = area[at + 2];
                if (len < 4 || at + len > area.Length) break;
                var e = area.AsSpan(at, len);
                switch (sig)
                {
                    case "NM":
                        if ((e[4] & 0x06) == 0) { name.AddRange(e[5..].ToArray()); hasName = true; }
                        break;
                    case "PX":
                        info.Mode = IsoBinary.ReadBoth32(e, 4);
                        info.Links = IsoBinary.ReadBoth32(e, 12);
                        if (len >= 44) info.Serial = IsoBinary.ReadBoth32(e, 36);
                        break;
                    case "TF":
                        if ((e[4] & 0x80) == 0 && (e[4] & 0x02) != 0)
                            info.Mtime = IsoBinary.ReadDirDate(e, 5 + ((e[4] & 0x01) != 0 ? 7 : 0));
                        break;
                    case "SL":
                        int c = 5;
                        while (c + 2 <= len)
                        {
                            byte flags = e[c];
                            int clen = e[c + 1];
                            string part = (flags & 0x08) != 0 ? "/" : (flags & 0x02) != 0 ? "." : (flags & 0x04) != 0 ? ".." : Encoding.UTF8.GetString(e.Slice(c + 2, clen));
                            if (linkStarted && !componentContinues && !(link.Length == 1 && link[0] == '/')) link.Append('/');
                            link.Append(part);
                            linkStarted = true;
                            componentContinues = (flags & 0x01) != 0;
                            c += 2 + clen;
                        }
                        break;
                    case "CE":
                        long block = IsoBinary.ReadBoth32(e, 4), offset = IsoBinary.ReadBoth32(e, 12), length = IsoBinary.ReadBoth32(e, 20);
                        next = new byte[length];
                        _fs.Position = block * IsoBinary.SectorSize + offset;
                        _fs.ReadAtLeast(next, next.Length, throwOnEndOfStream: false);
                        break;
                    case "ST":
                        at = area.Length;
                        continue;
                }
                at += len;
            }
            area = next ?? [];
        }
        if (hasName) info.Name = Encoding.UTF8.GetString(name.ToArray());
        if (linkStarted) info.LinkTarget = link.ToString();
        return info;
    }

    private bool ReadSector(long lba, byte[] sector)
    {
        _fs.Position = lba * IsoBinary.SectorSize;
        return _fs.ReadAtLeast(sector, sector.Length, throwOnEndOfStream: false) == sector.Length;
    }

    public void Dispose() => _fs.Dispose();

    /// <summary>Read-only view of a file's extents in the image.</summary>
    private sealed class ExtentStream(FileStream fs, IReadOnlyList<IsoExtent> extents) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length { get; } = extents.Sum(e => e.Length);
        public override long Position { get => _position; set => _position = value; }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            long skip = _position;
            foreach (var e in extents)
            {
                if (skip >= e.Length) { skip -= e.Length; continue; }
                int n = (int)Math.Min(buffer.Length, e.Length - skip);
                fs.Position = e.Lba * IsoBinary.SectorSize + skip;
                int got = fs.Read(buffer[..n]);
                _position += got;
                return got;
            }
            return 0;
        }

        public override long Seek(long offset, SeekOrigin origin) => _position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => Length + offset,
        };

        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
