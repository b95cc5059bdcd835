using System.Buffers.Binary;
using System.Text;

namespace Pungi.Build.Iso;

/// <summary>Field encoders of ECMA-119: both-byte-order numbers, dates, padded strings.</summary>
internal static class IsoBinary
{
    public const int SectorSize = 2048;

    /// <summary>ECMA-119 7.2.3: 16-bit number recorded little-endian then big-endian.</summary>
    public static void Both16(Span<byte> b, int offset, int value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(b[offset..], (ushort)value);
        BinaryPrimitives.WriteUInt16BigEndian(b[(offset + 2)..], (ushort)value);
    }

    /// <summary>ECMA-119 7.3.3: 32-bit number recorded little-endian then big-endian.</summary>
    public static void Both32(Span<byte> b, int offset, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(b[offset..], value);
        BinaryPrimitives.WriteUInt32BigEndian(b[(offset + 4)..], value);
    }

    public static uint ReadBoth32(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(b[offset..]);

    /// <summary>ECMA-119 9.1.5: seven-byte recording date, UTC (offset 0).</summary>
    public static void DirDate(Span<byte> b, int offset, DateTime utc)
    {
        b[offset] = (byte)Math.Clamp(utc.Year - 1900, 0, 255);
        b[offset + 1] = (byte)utc.Month;
        b[offset + 2] = (byte)utc.Day;
        b[offset + 3] = (byte)utc.Hour;
        b[offset + 4] = (byte)utc.Minute;
        b[offset + 5] = (byte)utc.Second;
        b[offset + 6] = 0;
    }

    public static DateTime ReadDirDate(ReadOnlySpan<byte> b, int offset)
    {
        try
        {
            var t = new DateTime(1900 + b[offset], Math.Max((int)b[offset + 1], 1), Math.Max((int)b[offset + 2], 1), b[offset + 3], b[offset + 4], b[offset + 5], DateTimeKind.Utc);
            return t.AddMinutes(-15 * (sbyte)b[offset + 6]);
        }
        catch (ArgumentOutOfRangeException)
        {
            return DateTime.UnixEpoch;
        }
    }

    /// <summary>ECMA-119 8.4.26.1: seventeen-byte volume date "YYYYMMDDHHMMSScc" + GMT offset; null = unspecified.</summary>
    public static void VolumeDate(Span<byte> b, int offset, DateTime? utc)
    {
        if (utc is null)
        {
            Encoding.ASCII.GetBytes("0000000000000000", b[offset..]);
            b[offset + 16] = 0;
            return;
        }
        Encoding.ASCII.GetBytes(utc.Value.ToString("yyyyMMddHHmmss") + "00", b[offset..]);
        b[offset + 16] = 0;
    }

    /// <summary>A-/d-character field: ASCII, padded with spaces, cut at the field length.</summary>
    public static void Padded(Span<byte> b, int offset, int length, string? value)
    {
        var field = b.Slice(offset, length);
        field.Fill((byte)' ');
        if (string.IsNullOrEmpty(value)) return;
        var bytes = Encoding.UTF8.GetBytes(value);
        bytes.AsSpan(0, Math.Min(bytes.Length, length)).CopyTo(field);
    }

    /// <summary>Joliet field: UCS-2 big-endian, padded with UCS-2 spaces (0x0020).</summary>
    public static void PaddedUcs2(Span<byte> b, int offset, int length, string? value)
    {
        var field = b.Slice(offset, length);
        for (int i = 0; i + 1 < length; i += 2) { field[i] = 0; field[i + 1] = (byte)' '; }
        if (string.IsNullOrEmpty(value)) return;
        var bytes = Encoding.BigEndianUnicode.GetBytes(TruncateUtf16(value, length / 2));
        bytes.CopyTo(field);
    }

    /// <summary>Cuts a string to at most <paramref name="units"/> UTF-16 code units without splitting a surrogate pair.</summary>
    public static string TruncateUtf16(string s, int units)
    {
        if (s.Length <= units) return s;
        int n = units;
        if (n > 0 && char.IsHighSurrogate(s[n - 1])) n--;
        return s[..n];
    }

    public static long Sectors(long bytes) => (bytes + SectorSize - 1) / SectorSize;
}

/// <summary>CRC-32 (IEEE 802.3, reflected, as GPT uses it).</summary>
internal static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    private static uint[] BuildTable()
    {
        var t = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFFu;
        foreach (byte x in data) c = Table[(c ^ x) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
    }
}
