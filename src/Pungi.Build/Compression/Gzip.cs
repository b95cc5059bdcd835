using System.IO.Compression;

namespace Pungi.Build.Compression;

/// <summary>
/// A gzip writer with a fixed header: no file name, mtime 0, OS 3 (Unix) — the bytes createrepo_c's zlib writes
/// (<c>1f 8b 08 00 00000000 00 03</c>), so the same content always gives the same file whatever the clock says.
/// .NET's <see cref="GZipStream"/> does not let us pin the header, hence the hand-made framing around a raw
/// <see cref="DeflateStream"/>.
/// </summary>
internal sealed class GzipWriteStream : Stream
{
    private static readonly byte[] Header = [0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03];
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly DeflateStream _deflate;
    private uint _crc = 0xffffffffu;
    private uint _length;
    private bool _closed;

    public GzipWriteStream(Stream inner, bool leaveOpen = false)
    {
        _inner = inner;
        _leaveOpen = leaveOpen;
        _inner.Write(Header);
        _deflate = new DeflateStream(inner, CompressionLevel.Optimal, leaveOpen: true);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _crc = Crc32.Update(_crc, buffer);
        _length += (uint)buffer.Length;
        _deflate.Write(buffer);
    }

    public override void Flush() => _deflate.Flush();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_closed)
        {
            _closed = true;
            _deflate.Dispose();
            Span<byte> trailer = stackalloc byte[8];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(trailer, ~_crc);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], _length);
            _inner.Write(trailer);
            if (!_leaveOpen) _inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}

/// <summary>The gzip trailer's CRC-32 (IEEE, reflected), table-driven.</summary>
internal static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    private static uint[] BuildTable()
    {
        var t = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xedb88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }

    /// <summary>Feeds bytes into a running (pre-inverted) CRC; invert the end result.</summary>
    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data) crc = Table[(crc ^ b) & 0xff] ^ (crc >> 8);
        return crc;
    }
}
