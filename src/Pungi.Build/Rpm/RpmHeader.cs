using System.Buffers.Binary;
using System.Text;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Rpm;

/// <summary>
/// One rpm header structure (signature header or main header): index entries over a data store, validated when
/// parsed the way rpm's <c>hdrblobVerifyInfo</c> does, so that no accessor can read outside the store afterwards.
/// </summary>
public sealed class RpmHeader
{
    /// <summary>rpm's limits (<c>hdrchkTags</c>, <c>HEADER_DATA_MAX</c>): at most 65535 tags and 256 MiB of data.</summary>
    public const int MaxTags = 0xffff;
    public const int MaxDataBytes = 0x0fffffff;

    /// <summary>Size of the header intro: magic (3), version (1), reserved (4), index count (4), data length (4).</summary>
    public const int IntroSize = 16;

    private static readonly int[] TypeSizes = [0, 1, 1, 2, 4, 8, 1, 1, 1, 1];

    private readonly byte[] _data; // the data store only
    private readonly Entry[] _entries; // sorted by tag

    private readonly record struct Entry(int Tag, RpmTagType Type, int Offset, int Count);

    private RpmHeader(byte[] data, Entry[] entries)
    {
        _data = data;
        _entries = entries;
    }

    /// <summary>Number of index entries.</summary>
    public int Count => _entries.Length;

    /// <summary>Length of the data store in bytes.</summary>
    public int DataLength => _data.Length;

    /// <summary>Total on-disk size: intro, index and data store.</summary>
    public long Length => IntroSize + 16L * _entries.Length + _data.Length;

    /// <summary>Tags present, in ascending order.</summary>
    public IEnumerable<int> Tags => _entries.Select(e => e.Tag);

    /// <summary>
    /// Reads and checks the 16-byte intro, returning the index count and data length. Both are bounded before any
    /// allocation depends on them.
    /// </summary>
    public static (int IndexCount, int DataLength) ReadIntro(ReadOnlySpan<byte> intro, string file, string what)
    {
        if (intro[0] != 0x8e || intro[1] != 0xad || intro[2] != 0xe8 || intro[3] != 0x01)
            throw new PungiException(ErrorCodes.RpmBadHeader, $"{what} has a bad magic number; the file is not a valid RPM", file);
        uint il = BinaryPrimitives.ReadUInt32BigEndian(intro[8..]);
        uint dl = BinaryPrimitives.ReadUInt32BigEndian(intro[12..]);
        if (il == 0 || il > MaxTags)
            throw new PungiException(ErrorCodes.RpmBadHeader, $"{what} claims {il} index entries (rpm allows 1 to {MaxTags})", file);
        if (dl > MaxDataBytes)
            throw new PungiException(ErrorCodes.RpmBadHeader, $"{what} claims {dl} bytes of data (rpm allows at most {MaxDataBytes})", file);
        return ((int)il, (int)dl);
    }

    /// <summary>Parses index and data store (everything after the intro) and validates every entry.</summary>
    public static RpmHeader Parse(ReadOnlySpan<byte> index, byte[] data, string file, string what)
    {
        int il = index.Length / 16;
        var entries = new Entry[il];
        bool sorted = true;
        for (int i = 0; i < il; i++)
        {
            var e = index.Slice(i * 16, 16);
            int tag = BinaryPrimitives.ReadInt32BigEndian(e);
            uint type = BinaryPrimitives.ReadUInt32BigEndian(e[4..]);
            int offset = BinaryPrimitives.ReadInt32BigEndian(e[8..]);
            uint count = BinaryPrimitives.ReadUInt32BigEndian(e[12..]);
            if (type > (uint)RpmTagType.I18NString)
                throw Bad(file, what, $"entry {i} (tag {tag}) has unknown type {type}");
            if (offset < 0 || offset > data.Length)
                throw Bad(file, what, $"entry {i} (tag {tag}) points outside the data store (offset {offset}, store {data.Length} bytes)");
            // Every element takes at least one byte, so a count beyond the store is a lie (and would drive allocations).
            if (count == 0 || count > (uint)data.Length)
                throw Bad(file, what, $"entry {i} (tag {tag}) has an invalid count {count}");
            var t = (RpmTagType)type;
            int size = TypeSizes[(int)t];
            switch (t)
            {
                case RpmTagType.Null:
                    break;
                case RpmTagType.String:
                    if (count != 1) throw Bad(file, what, $"entry {i} (tag {tag}) is a string with count {count}");
                    goto case RpmTagType.StringArray;
                case RpmTagType.StringArray:
                case RpmTagType.I18NString:
                    {
                        int pos = offset;
                        for (uint n = 0; n < count; n++)
                        {
                            int nul = pos < data.Length ? Array.IndexOf(data, (byte)0, pos) : -1;
                            if (nul < 0) throw Bad(file, what, $"entry {i} (tag {tag}) has a string running past the data store");
                            pos = nul + 1;
                        }
                        break;
                    }
                default:
                    if (size > 1 && offset % size != 0)
                        throw Bad(file, what, $"entry {i} (tag {tag}) is misaligned (offset {offset} for {t})");
                    if ((long)count * size > data.Length - offset)
                        throw Bad(file, what, $"entry {i} (tag {tag}) runs past the data store ({count} x {size} bytes at offset {offset})");
                    break;
            }
            entries[i] = new Entry(tag, t, offset, (int)count);
            if (i > 0 && entries[i - 1].Tag > tag) sorted = false;
        }
        if (!sorted) Array.Sort(entries, (a, b) => a.Tag.CompareTo(b.Tag));
        return new RpmHeader(data, entries);
    }

    private static PungiException Bad(string file, string what, string detail)
        => new(ErrorCodes.RpmBadHeader, $"{what} is corrupt: {detail}", file);

    private bool TryFind(int tag, out Entry entry)
    {
        int lo = 0, hi = _entries.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            int t = _entries[mid].Tag;
            if (t == tag) { entry = _entries[mid]; return true; }
            if (t < tag) lo = mid + 1; else hi = mid - 1;
        }
        entry = default;
        return false;
    }

    public bool Has(int tag) => TryFind(tag, out _);

    public RpmTagType? TypeOf(int tag) => TryFind(tag, out var e) ? e.Type : null;

    public int CountOf(int tag) => TryFind(tag, out var e) ? e.Count : 0;

    /// <summary>
    /// A string tag as rpm returns it in the C locale: STRING as is, the first element of an I18NSTRING (the "C"
    /// locale's entry) or of a STRING_ARRAY; null when absent or not a string type.
    /// </summary>
    public string? GetString(int tag)
    {
        if (!TryFind(tag, out var e)) return null;
        return e.Type is RpmTagType.String or RpmTagType.I18NString or RpmTagType.StringArray ? StringAt(e.Offset, out _) : null;
    }

    /// <summary>All elements of a string array (or the single string); empty when absent.</summary>
    public string[] GetStringArray(int tag)
    {
        if (!TryFind(tag, out var e) || e.Type is not (RpmTagType.String or RpmTagType.StringArray or RpmTagType.I18NString))
            return [];
        var result = new string[e.Count];
        int pos = e.Offset;
        for (int i = 0; i < e.Count; i++)
            result[i] = StringAt(pos, out pos);
        return result;
    }

    /// <summary>The first value of an integer tag of any width (CHAR, INT8-64), or null.</summary>
    public long? GetNumber(int tag)
    {
        if (!TryFind(tag, out var e)) return null;
        return e.Type is RpmTagType.Char or RpmTagType.Int8 or RpmTagType.Int16 or RpmTagType.Int32 or RpmTagType.Int64
            ? NumberAt(e.Type, e.Offset) : null;
    }

    /// <summary>All values of an integer tag, widened; empty when absent or not an integer type.</summary>
    public long[] GetNumbers(int tag)
    {
        if (!TryFind(tag, out var e) || e.Type is not (RpmTagType.Char or RpmTagType.Int8 or RpmTagType.Int16 or RpmTagType.Int32 or RpmTagType.Int64))
            return [];
        int size = TypeSizes[(int)e.Type];
        var result = new long[e.Count];
        for (int i = 0; i < e.Count; i++)
            result[i] = NumberAt(e.Type, e.Offset + i * size);
        return result;
    }

    /// <summary>Raw bytes of a BIN tag, or null.</summary>
    public byte[]? GetBinary(int tag)
    {
        if (!TryFind(tag, out var e) || e.Type != RpmTagType.Bin) return null;
        return _data.AsSpan(e.Offset, e.Count).ToArray();
    }

    private long NumberAt(RpmTagType type, int offset) => type switch
    {
        RpmTagType.Char or RpmTagType.Int8 => _data[offset],
        // rpm's integer tags are unsigned: FILEMODES (int16) and FILEFLAGS/FILESIZES (int32) must not go negative.
        RpmTagType.Int16 => BinaryPrimitives.ReadUInt16BigEndian(_data.AsSpan(offset)),
        RpmTagType.Int32 => BinaryPrimitives.ReadUInt32BigEndian(_data.AsSpan(offset)),
        _ => BinaryPrimitives.ReadInt64BigEndian(_data.AsSpan(offset)),
    };

    private string StringAt(int offset, out int next)
    {
        // Validated at parse time: a NUL follows within the store.
        int nul = Array.IndexOf(_data, (byte)0, offset);
        next = nul + 1;
        return nul == offset ? "" : Encoding.UTF8.GetString(_data, offset, nul - offset);
    }
}
