using System.Globalization;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Rpm;

/// <summary>One entry of an RPM's cpio payload.</summary>
public sealed record RpmPayloadEntry(
    string Path,
    int Mode,
    long Size,
    long MTime,
    long Inode,
    int NLink,
    string LinkTarget)
{
    public bool IsDirectory => (Mode & 0xf000) == 0x4000;
    public bool IsSymlink => (Mode & 0xf000) == 0xa000;
    public bool IsRegular => (Mode & 0xf000) == 0x8000;
}

/// <summary>
/// Streams an RPM's payload: the compressed cpio archive after the main header (gzip, bzip2, xz, zstd or none, as
/// PAYLOADCOMPRESSOR says), in the "new ASCII" format (<c>070701</c>/<c>070702</c>) rpm writes, or rpm's stripped
/// large-file format (<c>07070X</c>, metadata from the header). Nothing is buffered beyond one cpio header.
/// </summary>
public sealed class RpmPayloadReader : IDisposable
{
    private const int MaxNameSize = 1 << 16;
    private readonly Stream _file;
    private readonly Stream _archive;
    private readonly string _path;
    private readonly RpmFile _rpm;
    private IReadOnlyList<RpmFileEntry>? _headerFiles;
    private long _remaining; // content bytes of the current entry not yet read
    private int _contentPad;
    private long _position; // bytes consumed from the decompressed archive
    private bool _done;
    private readonly bool _isSource;

    private RpmPayloadReader(RpmFile rpm, Stream file, Stream archive)
    {
        _rpm = rpm;
        _path = rpm.Path;
        _file = file;
        _archive = archive;
        _isSource = !rpm.Header.Has(RpmTag.SourceRpm);
    }

    public RpmFile Rpm => _rpm;

    public RpmPayloadEntry? Current { get; private set; }

    /// <summary>Opens the RPM, reads its headers and positions at the start of the payload.</summary>
    public static RpmPayloadReader Open(string path)
    {
        var rpm = RpmFile.Open(path);
        FileStream fs;
        try
        {
            fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            fs.Position = rpm.HeaderEnd;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PungiException(ErrorCodes.RpmUnreadable, $"cannot open the RPM payload: {ex.Message}", path, inner: ex);
        }
        try
        {
            string format = rpm.Header.GetString(RpmTag.PayloadFormat) ?? "cpio";
            if (format != "cpio")
                throw new PungiException(ErrorCodes.RpmUnsupportedPayload, $"payload format '{format}' is not supported (only cpio)", path);
            // rpm's default when the tag is absent is gzip.
            string compressor = rpm.Header.GetString(RpmTag.PayloadCompressor) ?? "gzip";
            Stream archive = compressor switch
            {
                "gzip" => new GZipStream(fs, CompressionMode.Decompress, leaveOpen: true),
                "zstd" => new ZstdSharp.DecompressionStream(fs, leaveOpen: true),
                "xz" => new SharpCompress.Compressors.Xz.XZStream(fs),
                "bzip2" => SharpCompress.Compressors.BZip2.BZip2Stream.Create(fs, SharpCompress.Compressors.CompressionMode.Decompress, false, leaveOpen: true),
                "identity" => fs,
                _ => throw new PungiException(ErrorCodes.RpmUnsupportedPayload,
                    $"payload compressor '{compressor}' is not supported (gzip, bzip2, xz, zstd, identity)", path),
            };
            return new RpmPayloadReader(rpm, fs, archive);
        }
        catch
        {
            fs.Dispose();
            throw;
        }
    }

    /// <summary>Advances to the next entry (skipping unread content); false at the cpio trailer.</summary>
    public bool MoveNext()
    {
        if (_done) return false;
        try
        {
            Skip(_remaining + _contentPad);
            _remaining = 0;
            _contentPad = 0;
            Span<byte> magic = stackalloc byte[6];
            ReadExact(magic, "an entry header");
            if (magic.SequenceEqual("07070X"u8)) return ReadStripped();
            if (!magic.SequenceEqual("070701"u8) && !magic.SequenceEqual("070702"u8))
                throw Bad($"bad cpio magic '{Encoding.ASCII.GetString(magic)}' at archive offset {_position - 6}");
            Span<byte> h = stackalloc byte[104];
            ReadExact(h, "an entry header");
            long ino = Hex(h, 0), mode = Hex(h, 1), nlink = Hex(h, 4), mtime = Hex(h, 5), size = Hex(h, 6), namesize = Hex(h, 11);
            if (namesize < 1 || namesize > MaxNameSize) throw Bad($"cpio entry name size {namesize} is invalid");
            var nameBytes = new byte[namesize];
            ReadExact(nameBytes, "an entry name");
            Skip(Pad4(110 + namesize));
            string name = Encoding.UTF8.GetString(nameBytes, 0, (int)namesize - 1);
            if (name == "TRAILER!!!")
            {
                _done = true;
                Current = null;
                return false;
            }
            string link = "";
            _remaining = size;
            _contentPad = (int)Pad4(size);
            if ((mode & 0xf000) == 0xa000)
            {
                // A symlink's content is its target.
                if (size > MaxNameSize) throw Bad($"symlink target of {name} is {size} bytes long");
                var target = new byte[size];
                ReadExact(target, "a symlink target");
                _remaining = 0;
                link = Encoding.UTF8.GetString(target);
            }
            Current = new RpmPayloadEntry(NormalizeName(name, _isSource), (int)mode, size, mtime, ino, (int)nlink, link);
            return true;
        }
        catch (PungiException)
        {
            throw;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or InvalidOperationException or FormatException
                                       or IndexOutOfRangeException or ArgumentException or NotSupportedException)
        {
            throw Bad($"the payload does not decompress: {ex.Message}");
        }
    }

    /// <summary>
    /// rpm's stripped format (rpmlib(LargeFiles)): the magic and an 8-hex-digit index into the header's file list;
    /// every other attribute comes from the header, the content (sized by LONGFILESIZES) follows, padded to 4.
    /// </summary>
    private bool ReadStripped()
    {
        Span<byte> idx = stackalloc byte[8];
        ReadExact(idx, "a stripped entry header");
        long index = HexSpan(idx);
        _headerFiles ??= RpmHeaderReader.ReadFileEntries(_rpm);
        if (index < 0 || index >= _headerFiles.Count) throw Bad($"stripped cpio entry refers to file {index} of {_headerFiles.Count}");
        var f = _headerFiles[(int)index];
        long size = f.IsRegular ? f.Size : 0;
        string link = "";
        if (f.IsSymlink)
        {
            link = f.LinkTo;
            size = Encoding.UTF8.GetByteCount(link);
        }
        _remaining = size;
        _contentPad = (int)Pad4(size);
        if (f.IsSymlink) { Skip(size); _remaining = 0; }
        Current = new RpmPayloadEntry(f.Path, f.Mode, size, f.MTime, index, 1, link);
        return true;
    }

    /// <summary>A stream over the current entry's content (regular files); read it before <see cref="MoveNext"/>.</summary>
    public Stream OpenContent() => new ContentStream(this);

    private int ReadContent(Span<byte> buffer)
    {
        if (_remaining <= 0) return 0;
        int want = (int)Math.Min(buffer.Length, _remaining);
        int n = _archive.Read(buffer[..want]);
        if (n == 0) throw new PungiException(ErrorCodes.RpmTruncated, $"the RPM payload ends inside {Current?.Path}", _path);
        _remaining -= n;
        _position += n;
        return n;
    }

    private sealed class ContentStream(RpmPayloadReader owner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => owner.ReadContent(buffer.AsSpan(offset, count));
        public override int Read(Span<byte> buffer) => owner.ReadContent(buffer);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static string NormalizeName(string name, bool isSource)
    {
        // rpm stores "./usr/bin/foo" (PayloadFilesHavePrefix); old packages store "usr/bin/foo". Source packages
        // store bare names ("foo.spec"), which is also how their header lists them.
        if (name.StartsWith("./", StringComparison.Ordinal)) return name[1..];
        if (isSource || name.StartsWith('/')) return name;
        return "/" + name;
    }

    private static long Pad4(long n) => (4 - n % 4) % 4;

    private long Hex(ReadOnlySpan<byte> h, int field) => HexSpan(h.Slice(field * 8, 8));

    private long HexSpan(ReadOnlySpan<byte> s)
    {
        if (!long.TryParse(Encoding.ASCII.GetString(s), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long v))
            throw Bad($"bad hex number '{Encoding.ASCII.GetString(s)}' in a cpio header");
        return v;
    }

    private void ReadExact(Span<byte> buffer, string what)
    {
        int n = RpmFile.ReadFully(_archive, buffer);
        _position += n;
        if (n < buffer.Length) throw new PungiException(ErrorCodes.RpmTruncated, $"the RPM payload ends inside {what}", _path);
    }

    private void Skip(long count)
    {
        Span<byte> buf = stackalloc byte[8192];
        while (count > 0)
        {
            int n = _archive.Read(buf[..(int)Math.Min(buf.Length, count)]);
            if (n == 0) throw new PungiException(ErrorCodes.RpmTruncated, "the RPM payload ends early", _path);
            count -= n;
            _position += n;
        }
    }

    private PungiException Bad(string detail) => new(ErrorCodes.RpmBadPayload, $"the RPM payload is corrupt: {detail}", _path);

    public void Dispose()
    {
        if (!ReferenceEquals(_archive, _file)) _archive.Dispose();
        _file.Dispose();
    }

    /// <summary>
    /// Extracts the payload under <paramref name="targetDirectory"/> with file modes, mtimes, symlinks and hardlinks
    /// (content arrives with the last link of a set, as rpm writes it). Paths that would leave the target (through
    /// <c>..</c> or an extracted symlink) raise PUNGI2009. Device nodes and fifos are skipped (they need root).
    /// Returns the entries written.
    /// </summary>
    public static IReadOnlyList<RpmPayloadEntry> ExtractTo(string rpmPath, string targetDirectory)
    {
        string root = Path.GetFullPath(targetDirectory);
        Directory.CreateDirectory(root);
        var written = new List<RpmPayloadEntry>();
        var dirModes = new List<(string Path, int Mode, long MTime)>();
        var pendingLinks = new Dictionary<long, List<string>>(); // inode -> earlier paths of a hardlink set
        using var reader = Open(rpmPath);
        while (reader.MoveNext())
        {
            var e = reader.Current!;
            string target = SafeTarget(root, e.Path, rpmPath);
            if (e.IsDirectory)
            {
                Directory.CreateDirectory(target);
                dirModes.Add((target, e.Mode, e.MTime));
            }
            else if (e.IsSymlink)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                if (File.Exists(target) || Directory.Exists(target) || new FileInfo(target).LinkTarget is not null) File.Delete(target);
                File.CreateSymbolicLink(target, e.LinkTarget);
            }
            else if (e.IsRegular)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                if (e.NLink > 1 && e.Size == 0)
                {
                    // An earlier member of a hardlink set: linked when the member carrying the content arrives.
                    if (!pendingLinks.TryGetValue(e.Inode, out var list)) pendingLinks[e.Inode] = list = [];
                    list.Add(target);
                    written.Add(e);
                    continue;
                }
                using (var output = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
                using (var content = reader.OpenContent())
                    content.CopyTo(output);
                SetAttributes(target, e);
                if (pendingLinks.Remove(e.Inode, out var others))
                    foreach (var other in others) HardLink(target, other);
            }
            else
            {
                continue; // devices, fifos, sockets
            }
            written.Add(e);
        }
        // A hardlink set whose content never came (all members empty): create them empty.
        foreach (var list in pendingLinks.Values)
        {
            File.WriteAllBytes(list[0], []);
            foreach (var other in list.Skip(1)) HardLink(list[0], other);
        }
        // Directory modes last, deepest first, so a read-only directory does not block its own contents.
        foreach (var (path, mode, mtime) in dirModes.OrderByDescending(d => d.Path.Length))
        {
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)(mode & 0xfff));
            Directory.SetLastWriteTimeUtc(path, DateTimeOffset.FromUnixTimeSeconds(mtime).UtcDateTime);
        }
        return written;
    }

    private static void SetAttributes(string target, RpmPayloadEntry e)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(target, (UnixFileMode)(e.Mode & 0xfff));
        File.SetLastWriteTimeUtc(target, DateTimeOffset.FromUnixTimeSeconds(e.MTime).UtcDateTime);
    }

    private static string SafeTarget(string root, string entryPath, string rpmPath)
    {
        string full = Path.GetFullPath(Path.Combine(root, entryPath.TrimStart('/')));
        string rootWithSep = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        if (!full.StartsWith(rootWithSep, StringComparison.Ordinal))
            throw new PungiException(ErrorCodes.RpmUnsafePayloadPath, $"payload entry '{entryPath}' would be written outside {root}", rpmPath);
        // No already-extracted symlink may sit between the root and the entry.
        for (var dir = Path.GetDirectoryName(full); dir is not null && dir.Length > root.Length; dir = Path.GetDirectoryName(dir))
            if (new DirectoryInfo(dir).LinkTarget is not null)
                throw new PungiException(ErrorCodes.RpmUnsafePayloadPath, $"payload entry '{entryPath}' goes through the symlink {dir}", rpmPath);
        return full;
    }

    private static void HardLink(string existing, string newPath)
    {
        if (File.Exists(newPath)) File.Delete(newPath);
        if (!OperatingSystem.IsWindows() && NativeMethods.link(existing, newPath) == 0) return;
        File.Copy(existing, newPath); // no hardlinks on this file system or platform
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
#pragma warning disable CA2101, SYSLIB1054 // plain UTF-8 path strings; LibraryImport would need unsafe code for this one call
        internal static extern int link([MarshalAs(UnmanagedType.LPUTF8Str)] string oldpath, [MarshalAs(UnmanagedType.LPUTF8Str)] string newpath);
#pragma warning restore CA2101, SYSLIB1054
    }
}
