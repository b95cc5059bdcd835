using System.IO.Compression;
using Pungi.Build.Diagnostics;
using SharpCompress.Compressors.BZip2;
using SharpCompress.Compressors.Xz;
using ZstdSharp;

namespace Pungi.Build.Compression;

/// <summary>
/// Opens repodata files for reading and writing in any of createrepo_c's compressions, chosen by
/// <see cref="CompressionKind"/> or detected from the file's magic bytes (then its name).
/// </summary>
public static class Compressor
{
    /// <summary>The file-name suffix createrepo_c gives the kind (<c>.gz</c>, <c>.xz</c>, <c>.zst</c>, <c>.bz2</c>, or none).</summary>
    public static string Suffix(CompressionKind kind) => kind switch
    {
        CompressionKind.Gzip => ".gz",
        CompressionKind.Xz => ".xz",
        CompressionKind.Zstd => ".zst",
        CompressionKind.Bzip2 => ".bz2",
        _ => "",
    };

    /// <summary>Parses a createrepo_c compression name (<c>gz</c>, <c>xz</c>, <c>zstd</c>, <c>bz2</c>, <c>none</c>).</summary>
    public static CompressionKind Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "gz" or "gzip" or "" => CompressionKind.Gzip,
        "xz" => CompressionKind.Xz,
        "zstd" or "zst" => CompressionKind.Zstd,
        "bz2" or "bzip2" => CompressionKind.Bzip2,
        "none" or "no" => CompressionKind.None,
        _ => throw new PungiException(ErrorCodes.UnknownCompression,
            $"Unknown compression '{name}'; use one of gz, xz, zstd, bz2, none."),
    };

    /// <summary>The kind implied by a file name's suffix; <see cref="CompressionKind.None"/> when it has none we know.</summary>
    public static CompressionKind FromFileName(string path)
    {
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) return CompressionKind.Gzip;
        if (path.EndsWith(".xz", StringComparison.OrdinalIgnoreCase)) return CompressionKind.Xz;
        if (path.EndsWith(".zst", StringComparison.OrdinalIgnoreCase)) return CompressionKind.Zstd;
        if (path.EndsWith(".bz2", StringComparison.OrdinalIgnoreCase)) return CompressionKind.Bzip2;
        return CompressionKind.None;
    }

    /// <summary>The kind from the first bytes of a file; null when they match no known magic.</summary>
    public static CompressionKind? FromMagic(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 2 && head[0] == 0x1f && head[1] == 0x8b) return CompressionKind.Gzip;
        if (head.Length >= 6 && head[..6].SequenceEqual((ReadOnlySpan<byte>)[0xfd, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00])) return CompressionKind.Xz;
        if (head.Length >= 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd) return CompressionKind.Zstd;
        if (head.Length >= 3 && head[0] == (byte)'B' && head[1] == (byte)'Z' && head[2] == (byte)'h') return CompressionKind.Bzip2;
        return null;
    }

    /// <summary>Detects a file's compression: magic bytes first (a mislabelled file still opens), else its name.</summary>
    public static CompressionKind Detect(string path)
    {
        Span<byte> head = stackalloc byte[6];
        int n;
        using (var fs = File.OpenRead(path))
            n = fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return FromMagic(head[..n]) ?? FromFileName(path);
    }

    /// <summary>Opens a file for reading its decompressed content, detecting the compression.</summary>
    public static Stream OpenRead(string path)
    {
        var kind = Detect(path);
        var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Decompress(fs, kind);
    }

    /// <summary>Wraps a stream of compressed bytes in a decompressing stream (disposing it disposes the inner stream).</summary>
    public static Stream Decompress(Stream compressed, CompressionKind kind) => kind switch
    {
        // GZipStream reads concatenated members too, as zlib's gzread does.
        CompressionKind.Gzip => new GZipStream(compressed, CompressionMode.Decompress),
        CompressionKind.Xz => new XZStream(compressed),
        CompressionKind.Zstd => new DecompressionStream(compressed),
        CompressionKind.Bzip2 => BZip2Stream.Create(compressed, SharpCompress.Compressors.CompressionMode.Decompress, decompressConcatenated: true),
        _ => compressed,
    };

    /// <summary>
    /// Wraps a stream in a compressing stream of the kind; disposing the result finishes the compressed data and
    /// disposes <paramref name="output"/> unless <paramref name="leaveOpen"/>.
    /// </summary>
    public static Stream Compress(Stream output, CompressionKind kind, bool leaveOpen = false) => kind switch
    {
        CompressionKind.Gzip => new GzipWriteStream(output, leaveOpen),
        CompressionKind.Xz => new XzWriteStream(output, leaveOpen),
        CompressionKind.Zstd => new CompressionStream(output, level: 10, leaveOpen: leaveOpen),
        CompressionKind.Bzip2 => new LeaveOpenWrapper(BZip2Stream.Create(leaveOpen ? new NonClosingStream(output) : output, SharpCompress.Compressors.CompressionMode.Compress, decompressConcatenated: false)),
        _ => leaveOpen ? new NonClosingStream(output) : output,
    };

    /// <summary>Creates (or truncates) a file and returns a stream that compresses what is written into it.</summary>
    public static Stream OpenWrite(string path, CompressionKind kind)
    {
        var fs = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        try
        {
            return Compress(fs, kind);
        }
        catch
        {
            fs.Dispose();
            throw;
        }
    }
}

/// <summary>Passes everything through but never disposes the stream it wraps.</summary>
internal class NonClosingStream(Stream inner) : Stream
{
    protected Stream Inner { get; } = inner;
    public override bool CanRead => Inner.CanRead;
    public override bool CanSeek => false;
    public override bool CanWrite => Inner.CanWrite;
    public override long Length => Inner.Length;
    public override long Position { get => Inner.Position; set => throw new NotSupportedException(); }
    public override void Flush() => Inner.Flush();
    public override int Read(byte[] buffer, int offset, int count) => Inner.Read(buffer, offset, count);
    public override int Read(Span<byte> buffer) => Inner.Read(buffer);
    public override void Write(byte[] buffer, int offset, int count) => Inner.Write(buffer, offset, count);
    public override void Write(ReadOnlySpan<byte> buffer) => Inner.Write(buffer);
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}

/// <summary>Makes sure the wrapped compressor is finished (disposed) when this is disposed.</summary>
internal sealed class LeaveOpenWrapper(Stream inner) : NonClosingStream(inner)
{
    protected override void Dispose(bool disposing)
    {
        if (disposing) Inner.Dispose();
        base.Dispose(disposing);
    }
}
