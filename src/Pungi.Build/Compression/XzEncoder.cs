using System.Runtime.InteropServices;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Compression;

/// <summary>
/// xz output through the system's liblzma (<c>liblzma.so.5</c>, in every Debian and Fedora install): no managed
/// xz encoder is well kept, and liblzma is what createrepo_c itself uses. Preset 5 and a CRC32 check, as
/// createrepo_c's compression wrapper writes them.
/// </summary>
internal sealed class XzWriteStream : Stream
{
    private const uint Preset = 5;
    private const int CheckCrc32 = 1;
    private const int ActionRun = 0, ActionFinish = 3;
    private const int LzmaOk = 0, LzmaStreamEnd = 1;
    private const int BufferSize = 64 * 1024;

    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly byte[] _in = GC.AllocateUninitializedArray<byte>(BufferSize, pinned: true);
    private readonly byte[] _out = GC.AllocateUninitializedArray<byte>(BufferSize, pinned: true);
    private LzmaStream _stream;
    private bool _closed;

    public XzWriteStream(Stream inner, bool leaveOpen = false)
    {
        _inner = inner;
        _leaveOpen = leaveOpen;
        int rc;
        try
        {
            rc = lzma_easy_encoder(ref _stream, Preset, CheckCrc32);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            throw new PungiException(ErrorCodes.XzEncoderUnavailable,
                "xz output needs liblzma (liblzma.so.5), which was not found; install it (Debian: liblzma5, Fedora: xz-libs) or choose gz or zstd compression.",
                inner: e);
        }
        if (rc != LzmaOk)
            throw new PungiException(ErrorCodes.XzEncoderUnavailable, $"liblzma refused to start an xz encoder (lzma_ret {rc}).");
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            int n = Math.Min(buffer.Length, _in.Length);
            buffer[..n].CopyTo(_in);
            buffer = buffer[n..];
            _stream.NextIn = Marshal.UnsafeAddrOfPinnedArrayElement(_in, 0);
            _stream.AvailIn = (nuint)n;
            while (_stream.AvailIn > 0) Code(ActionRun);
        }
    }

    private int Code(int action)
    {
        _stream.NextOut = Marshal.UnsafeAddrOfPinnedArrayElement(_out, 0);
        _stream.AvailOut = (nuint)_out.Length;
        int rc = lzma_code(ref _stream, action);
        if (rc != LzmaOk && rc != LzmaStreamEnd)
            throw new PungiException(ErrorCodes.CompressionFailed, $"liblzma failed while compressing (lzma_ret {rc}).");
        int produced = _out.Length - (int)_stream.AvailOut;
        if (produced > 0) _inner.Write(_out, 0, produced);
        return rc;
    }

    public override void Flush() { }

    protected override void Dispose(bool disposing)
    {
        if (!_closed)
        {
            _closed = true;
            try
            {
                if (disposing)
                {
                    _stream.AvailIn = 0;
                    while (Code(ActionFinish) != LzmaStreamEnd) { }
                }
            }
            finally
            {
                lzma_end(ref _stream);
                if (disposing && !_leaveOpen) _inner.Dispose();
            }
        }
        base.Dispose(disposing);
    }

    ~XzWriteStream() => Dispose(false);

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>liblzma's <c>lzma_stream</c> (5.x ABI, 64-bit), zero-initialised like <c>LZMA_STREAM_INIT</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct LzmaStream
    {
        public IntPtr NextIn;
        public nuint AvailIn;
        public ulong TotalIn;
        public IntPtr NextOut;
        public nuint AvailOut;
        public ulong TotalOut;
        public IntPtr Allocator;
        public IntPtr Internal;
        public IntPtr Reserved1, Reserved2, Reserved3, Reserved4;
        public ulong ReservedInt1, ReservedInt2;
        public nuint ReservedInt3, ReservedInt4;
        public int ReservedEnum1, ReservedEnum2;
    }

    [DllImport("liblzma.so.5")]
    private static extern int lzma_easy_encoder(ref LzmaStream strm, uint preset, int check);

    [DllImport("liblzma.so.5")]
    private static extern int lzma_code(ref LzmaStream strm, int action);

    [DllImport("liblzma.so.5")]
    private static extern void lzma_end(ref LzmaStream strm);
}
