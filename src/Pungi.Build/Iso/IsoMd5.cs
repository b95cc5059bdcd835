using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Iso;

/// <summary>What <c>checkisomd5</c> finds: the implanted and the computed sum.</summary>
public sealed record IsoMd5Result(bool Found, bool Passed, string? ImplantedMd5, string? ComputedMd5, string? FragmentSums, int FragmentCount, bool Supported);

/// <summary>
/// The checksum of isomd5sum (<c>implantisomd5</c>/<c>checkisomd5</c>): the md5 of the image up to its last 15
/// sectors (PVD volume space size minus SKIPSECTORS) with the 512-byte application-use area of the primary volume
/// descriptor (offset 883) read as spaces, plus 20 fragment sums taken while reading 32 KiB blocks, recorded there as
/// <c>ISO MD5SUM = …;SKIPSECTORS = 15;RHLISOSTATUS=0;FRAGMENT SUMS = …;FRAGMENT COUNT = 20;THIS IS NOT THE SAME AS RUNNING MD5SUM ON THIS ISO!!</c>.
/// </summary>
public static class IsoMd5
{
    internal const int AppDataOffset = 883;
    internal const int AppDataSize = 512;
    internal const int SkipSectors = 15;
    internal const int FragmentCount = 20;
    private const int FragmentSumLength = 60;

    /// <summary>Implants the md5 into an existing image, as <c>implantisomd5 [--supported-iso] [--force]</c>.</summary>
    public static string Implant(string path, bool supported = false, bool force = false, CancellationToken ct = default)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        var (pvdOffset, isoSize) = FindPvd(fs, path);
        var appData = new byte[AppDataSize];
        fs.Position = pvdOffset + AppDataOffset;
        fs.ReadExactly(appData);
        if (!force && appData.Any(b => b != (byte)' '))
            throw new PungiException(ErrorCodes.IsoMd5AppDataUsed, $"{path}: the application data area of the primary volume descriptor is in use; not implanting the md5 (implantisomd5 without --force refuses too)", path);
        var hasher = new FragmentHasher(isoSize - SkipSectors * (long)IsoBinary.SectorSize);
        fs.Position = 0;
        var buf = new byte[1 << 20];
        long left = hasher.Total;
        long apStart = pvdOffset + AppDataOffset;
        while (left > 0)
        {
            ct.ThrowIfCancellationRequested();
            long at = fs.Position;
            int n = fs.Read(buf, 0, (int)Math.Min(buf.Length, left));
            if (n <= 0) break;
            BlankAppData(buf.AsSpan(0, n), at, apStart);
            hasher.Append(buf.AsSpan(0, n));
            left -= n;
        }
        var text = hasher.AppData(supported);
        fs.Position = apStart;
        fs.Write(text);
        return hasher.Md5Hex!;
    }

    /// <summary>Verifies an implanted md5 as <c>checkisomd5</c> does (fragment sums included).</summary>
    public static IsoMd5Result Check(string path, CancellationToken ct = default)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var (pvdOffset, isoSize) = FindPvd(fs, path);
        var info = ReadAppData(fs, pvdOffset);
        if (info.ImplantedMd5 is null) return info.Result;
        var hasher = new FragmentHasher(isoSize - info.SkipSectors * (long)IsoBinary.SectorSize);
        fs.Position = 0;
        var buf = new byte[1 << 20];
        long left = hasher.Total;
        while (left > 0)
        {
            ct.ThrowIfCancellationRequested();
            long at = fs.Position;
            int n = fs.Read(buf, 0, (int)Math.Min(buf.Length, left));
            if (n <= 0) break;
            BlankAppData(buf.AsSpan(0, n), at, pvdOffset + AppDataOffset);
            hasher.Append(buf.AsSpan(0, n));
            left -= n;
        }
        hasher.Finish();
        bool fragmentsOk = info.FragmentSums is null || hasher.FragmentSums.ToString() == info.FragmentSums[..Math.Min(info.FragmentSums.Length, hasher.FragmentSums.Length)];
        bool passed = left == 0 && fragmentsOk && string.Equals(hasher.Md5Hex, info.ImplantedMd5, StringComparison.Ordinal);
        return info.Result with { Passed = passed, ComputedMd5 = hasher.Md5Hex };
    }

    /// <summary>The implanted values only, as <c>checkisomd5 --md5sumonly</c> prints them (Pungi reads the md5 from it).</summary>
    public static IsoMd5Result ReadImplanted(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var (pvdOffset, _) = FindPvd(fs, path);
        return ReadAppData(fs, pvdOffset).Result;
    }

    private static void BlankAppData(Span<byte> chunk, long chunkStart, long apStart)
    {
        long from = Math.Max(chunkStart, apStart);
        long to = Math.Min(chunkStart + chunk.Length, apStart + AppDataSize);
        if (from < to) chunk.Slice((int)(from - chunkStart), (int)(to - from)).Fill((byte)' ');
    }

    private static (long PvdOffset, long IsoSize) FindPvd(Stream fs, string path)
    {
        var sector = new byte[IsoBinary.SectorSize];
        for (long lba = 16; ; lba++)
        {
            fs.Position = lba * IsoBinary.SectorSize;
            if (fs.Read(sector) < IsoBinary.SectorSize || sector[0] == 255 || sector.AsSpan(1, 5).SequenceEqual("CD001"u8) == false)
                throw new PungiException(ErrorCodes.IsoNotIso9660, $"{path}: no ISO 9660 primary volume descriptor found", path);
            if (sector[0] == 1)
                return (lba * IsoBinary.SectorSize, BinaryPrimitives.ReadUInt32BigEndian(sector.AsSpan(84)) * (long)IsoBinary.SectorSize);
        }
    }

    private sealed record AppDataInfo(IsoMd5Result Result, int SkipSectors)
    {
        public string? ImplantedMd5 => Result.ImplantedMd5;
        public string? FragmentSums => Result.FragmentSums;
    }

    private static AppDataInfo ReadAppData(Stream fs, long pvdOffset)
    {
        var buf = new byte[AppDataSize];
        fs.Position = pvdOffset + AppDataOffset;
        fs.ReadExactly(buf);
        string text = Encoding.ASCII.GetString(buf, 0, AppDataSize - 1);
        string? md5 = null, frags = null;
        int skip = 20, count = 0;
        bool supported = false;
        foreach (var field in text.Split(';'))
        {
            if (field.StartsWith("ISO MD5SUM = ") && field.Length >= 13 + 32) md5 = field.Substring(13, 32);
            else if (field.StartsWith("SKIPSECTORS = ") && int.TryParse(field[14..], out int s)) skip = s;
            else if (field.StartsWith("RHLISOSTATUS=")) supported = field[13..].StartsWith('1');
            else if (field.StartsWith("FRAGMENT SUMS = ")) frags = field[16..];
            else if (field.StartsWith("FRAGMENT COUNT = ") && int.TryParse(field[17..], out int c)) count = c;
        }
        return new AppDataInfo(new IsoMd5Result(md5 is not null, false, md5, null, frags, count, supported), skip);
    }

    /// <summary>
    /// Streams bytes through md5 the way isomd5sum reads them: in 32 KiB blocks, and after each block whose start
    /// offset moves into a new twenty-first of the total, the first hex digit of each of the first three bytes of
    /// the running digest becomes that fragment's sum.
    /// </summary>
    internal sealed class FragmentHasher
    {
        private const int BlockSize = 16 * IsoBinary.SectorSize;
        private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        private long _hashed;
        private long _previousFragment;

        public FragmentHasher(long total) => Total = Math.Max(0, total);

        public long Total { get; }
        public StringBuilder FragmentSums { get; } = new();
        public string? Md5Hex { get; private set; }

        /// <summary>Feeds bytes; anything past <see cref="Total"/> is ignored.</summary>
        public void Append(ReadOnlySpan<byte> data)
        {
            while (data.Length > 0 && _hashed < Total)
            {
                long blockStart = _hashed / BlockSize * BlockSize;
                long blockEnd = Math.Min(blockStart + BlockSize, Total);
                int n = (int)Math.Min(data.Length, blockEnd - _hashed);
                _md5.AppendData(data[..n]);
                _hashed += n;
                data = data[n..];
                if (_hashed == blockEnd)
                {
                    long fragment = blockStart * (FragmentCount + 1) / Total;
                    if (fragment != _previousFragment)
                    {
                        var digest = _md5.GetCurrentHash();
                        for (int i = 0; i < FragmentSumLength / FragmentCount; i++)
                            FragmentSums.Append(digest[i].ToString("x")[0]);
                        _previousFragment = fragment;
                    }
                }
            }
        }

        public void Finish() => Md5Hex ??= Convert.ToHexStringLower(_md5.GetHashAndReset());

        public bool Complete => _hashed == Total;

        /// <summary>The 512 bytes implantisomd5 writes at PVD offset 883.</summary>
        public byte[] AppData(bool supported)
        {
            Finish();
            string text = $"ISO MD5SUM = {Md5Hex};SKIPSECTORS = {SkipSectors};RHLISOSTATUS={(supported ? 1 : 0)};FRAGMENT SUMS = {FragmentSums};FRAGMENT COUNT = {FragmentCount};THIS IS NOT THE SAME AS RUNNING MD5SUM ON THIS ISO!!";
            var b = Enumerable.Repeat((byte)' ', AppDataSize).ToArray();
            Encoding.ASCII.GetBytes(text).AsSpan(0, Math.Min(text.Length, AppDataSize - 1)).CopyTo(b);
            return b;
        }
    }
}
