using System.Security.Cryptography;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Repodata;

/// <summary>
/// The checksum types createrepo_c offers for <c>--checksum</c> (Pungi's <c>createrepo_checksum</c>): sha1, sha224,
/// sha256 (default), sha384, sha512. .NET has no SHA-224, so it is computed by <see cref="Sha224"/>.
/// </summary>
public static class RepodataChecksum
{
    public const string Default = "sha256";

    /// <summary>Normalises a name (<c>sha</c> is sha1, as createrepo_c reads it) or throws PUNGI4009.</summary>
    public static string Normalize(string? name)
    {
        var n = (name ?? "").Trim().ToLowerInvariant();
        return n switch
        {
            "" => Default,
            "sha" or "sha1" => "sha1",
            "sha224" or "sha256" or "sha384" or "sha512" => n,
            _ => throw new PungiException(ErrorCodes.UnknownChecksumType,
                $"Unknown checksum type '{name}'; CreaterepoChecksum must be one of sha1, sha224, sha256, sha384, sha512."),
        };
    }

    /// <summary>An incremental hasher for the type.</summary>
    public static IHasher Create(string type) => Normalize(type) switch
    {
        "sha1" => new BclHasher(IncrementalHash.CreateHash(HashAlgorithmName.SHA1)),
        "sha224" => new Sha224(),
        "sha384" => new BclHasher(IncrementalHash.CreateHash(HashAlgorithmName.SHA384)),
        "sha512" => new BclHasher(IncrementalHash.CreateHash(HashAlgorithmName.SHA512)),
        _ => new BclHasher(IncrementalHash.CreateHash(HashAlgorithmName.SHA256)),
    };

    /// <summary>Hex digest of a whole file.</summary>
    public static string OfFile(string path, string type)
    {
        using var h = Create(type);
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var buf = new byte[1 << 16];
        int n;
        while ((n = fs.Read(buf)) > 0) h.Append(buf.AsSpan(0, n));
        return h.HexDigest();
    }

    public interface IHasher : IDisposable
    {
        void Append(ReadOnlySpan<byte> data);
        /// <summary>Lower-case hex of the digest; call once.</summary>
        string HexDigest();
    }

    private sealed class BclHasher(IncrementalHash hash) : IHasher
    {
        public void Append(ReadOnlySpan<byte> data) => hash.AppendData(data);
        public string HexDigest() => Convert.ToHexStringLower(hash.GetHashAndReset());
        public void Dispose() => hash.Dispose();
    }
}

/// <summary>SHA-224 (FIPS 180-4): SHA-256's compression with its own initial values, cut to 28 bytes.</summary>
internal sealed class Sha224 : RepodataChecksum.IHasher
{
    private static readonly uint[] K =
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    private readonly uint[] _h = [0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939, 0xffc00b31, 0x68581511, 0x64f98fa7, 0xbefa4fa4];
    private readonly byte[] _block = new byte[64];
    private readonly uint[] _w = new uint[64];
    private int _fill;
    private ulong _total;

    public void Append(ReadOnlySpan<byte> data)
    {
        _total += (ulong)data.Length;
        while (!data.IsEmpty)
        {
            int n = Math.Min(64 - _fill, data.Length);
            data[..n].CopyTo(_block.AsSpan(_fill));
            _fill += n;
            data = data[n..];
            if (_fill == 64) { Compress(); _fill = 0; }
        }
    }

    public string HexDigest()
    {
        ulong bits = _total * 8;
        _block[_fill++] = 0x80;
        if (_fill > 56) { Array.Clear(_block, _fill, 64 - _fill); Compress(); _fill = 0; }
        Array.Clear(_block, _fill, 56 - _fill);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(_block.AsSpan(56), bits);
        Compress();
        var digest = new byte[28];
        for (int i = 0; i < 7; i++) System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(digest.AsSpan(i * 4), _h[i]);
        return Convert.ToHexStringLower(digest);
    }

    private void Compress()
    {
        for (int i = 0; i < 16; i++) _w[i] = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(_block.AsSpan(i * 4));
        for (int i = 16; i < 64; i++)
        {
            uint s0 = uint.RotateRight(_w[i - 15], 7) ^ uint.RotateRight(_w[i - 15], 18) ^ (_w[i - 15] >> 3);
            uint s1 = uint.RotateRight(_w[i - 2], 17) ^ uint.RotateRight(_w[i - 2], 19) ^ (_w[i - 2] >> 10);
            _w[i] = _w[i - 16] + s0 + _w[i - 7] + s1;
        }
        uint a = _h[0], b = _h[1], c = _h[2], d = _h[3], e = _h[4], f = _h[5], g = _h[6], h = _h[7];
        for (int i = 0; i < 64; i++)
        {
            uint t1 = h + (uint.RotateRight(e, 6) ^ uint.RotateRight(e, 11) ^ uint.RotateRight(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + _w[i];
            uint t2 = (uint.RotateRight(a, 2) ^ uint.RotateRight(a, 13) ^ uint.RotateRight(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
        }
        _h[0] += a; _h[1] += b; _h[2] += c; _h[3] += d; _h[4] += e; _h[5] += f; _h[6] += g; _h[7] += h;
    }

    public void Dispose() { }
}

/// <summary>
/// A write-only pass-through that counts and hashes every byte on its way to the inner stream: one instance
/// under the compressor gives checksum/size, one above it gives open-checksum/open-size, in one pass.
/// </summary>
internal sealed class HashingWriteStream(Stream inner, string checksumType, bool leaveOpen = false) : Stream
{
    private readonly RepodataChecksum.IHasher _hasher = RepodataChecksum.Create(checksumType);
    private string? _digest;

    public long BytesWritten { get; private set; }

    /// <summary>The digest of everything written; finishes hashing on first call.</summary>
    public string HexDigest => _digest ??= _hasher.HexDigest();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hasher.Append(buffer);
        BytesWritten += buffer.Length;
        inner.Write(buffer);
    }

    public override void Flush() => inner.Flush();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hasher.Dispose();
            if (!leaveOpen) inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => BytesWritten;
    public override long Position { get => BytesWritten; set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
