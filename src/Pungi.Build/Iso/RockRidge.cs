using System.Text;

namespace Pungi.Build.Iso;

/// <summary>
/// System Use Sharing Protocol (SUSP 1.12) and Rock Ridge (RRIP 1.10 "RRIP_1991A", with the RRIP 1.12 five-field
/// PX so hard links share a file serial number) entries for one directory record.
/// </summary>
internal static class RockRidge
{
    public const int CeLength = 28;

    // RRIP 1.10 section 5.1 / SUSP 5.5: the ER text recorded by RRIP_1991A writers.
    private const string ErId = "RRIP_1991A";
    private const string ErDescriptor = "THE ROCK RIDGE INTERCHANGE PROTOCOL PROVIDES SUPPORT FOR POSIX FILE SYSTEM SEMANTICS";
    private const string ErSource = "PLEASE CONTACT DISC PUBLISHER FOR SPECIFICATION SOURCE.  SEE PUBLISHER IDENTIFIER IN PRIMARY VOLUME DESCRIPTOR FOR CONTACT INFORMATION.";

    private static byte[] Header(string sig, int length, int extra = 0)
    {
        var b = new byte[length];
        b[0] = (byte)sig[0];
        b[1] = (byte)sig[1];
        b[2] = (byte)length;
        b[3] = 1;
        if (extra >= 0 && length > 4) b[4] = (byte)extra;
        return b;
    }

    /// <summary>SUSP 5.3 SP: first entry of the root's "." record; skip length 0.</summary>
    public static byte[] SP()
    {
        var b = Header("SP", 7, 0xBE);
        b[5] = 0xEF;
        b[6] = 0;
        return b;
    }

    /// <summary>SUSP 5.5 ER naming RRIP_1991A, in the root's "." record.</summary>
    public static byte[] ER()
    {
        var id = Encoding.ASCII.GetBytes(ErId);
        var des = Encoding.ASCII.GetBytes(ErDescriptor);
        var src = Encoding.ASCII.GetBytes(ErSource);
        int len = 8 + id.Length + des.Length + src.Length;
        var b = Header("ER", len, id.Length);
        b[5] = (byte)des.Length;
        b[6] = (byte)src.Length;
        b[7] = 1;
        id.CopyTo(b, 8);
        des.CopyTo(b, 8 + id.Length);
        src.CopyTo(b, 8 + id.Length + des.Length);
        return b;
    }

    /// <summary>RRIP PX: mode (with file type bits), links, uid, gid, file serial number.</summary>
    public static byte[] PX(uint mode, uint links, uint uid, uint gid, uint serial)
    {
        var b = Header("PX", 44, -1);
        IsoBinary.Both32(b, 4, mode);
        IsoBinary.Both32(b, 12, links);
        IsoBinary.Both32(b, 20, uid);
        IsoBinary.Both32(b, 28, gid);
        IsoBinary.Both32(b, 36, serial);
        return b;
    }

    /// <summary>RRIP TF with modify, access and attribute-change times, all the (clamped) mtime for reproducibility.</summary>
    public static byte[] TF(DateTime utc)
    {
        var b = Header("TF", 5 + 3 * 7, 0x0E);
        for (int i = 0; i < 3; i++) IsoBinary.DirDate(b, 5 + 7 * i, utc);
        return b;
    }

    /// <summary>RRIP NM: the real name (UTF-8), split into several entries with CONTINUE when over 250 bytes.</summary>
    public static IEnumerable<byte[]> NM(string name)
    {
        var bytes = Encoding.UTF8.GetBytes(name);
        for (int at = 0; at < bytes.Length || at == 0; at += 250)
        {
            int n = Math.Min(250, bytes.Length - at);
            bool more = at + n < bytes.Length;
            var b = Header("NM", 5 + n, more ? 1 : 0);
            bytes.AsSpan(at, n).CopyTo(b.AsSpan(5));
            yield return b;
            if (!more) break;
        }
    }

    /// <summary>
    /// RRIP SL: the link target as component records (ROOT for a leading '/', CURRENT '.', PARENT '..', literal
    /// parts of at most 248 bytes with CONTINUE), packed into entries of at most 255 bytes, each but the last with
    /// the entry CONTINUE flag.
    /// </summary>
    public static List<byte[]> SL(string target)
    {
        var components = new List<byte[]>();
        if (target.StartsWith('/')) components.Add([0x08, 0]);
        foreach (var part in target.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") { components.Add([0x02, 0]); continue; }
            if (part == "..") { components.Add([0x04, 0]); continue; }
            var bytes = Encoding.UTF8.GetBytes(part);
            for (int at = 0; at < bytes.Length; at += 248)
            {
                int n = Math.Min(248, bytes.Length - at);
                var c = new byte[2 + n];
                c[0] = (byte)(at + n < bytes.Length ? 0x01 : 0);
                c[1] = (byte)n;
                bytes.AsSpan(at, n).CopyTo(c.AsSpan(2));
                components.Add(c);
            }
        }
        var entries = new List<List<byte[]>> { new() };
        int used = 0;
        foreach (var c in components)
        {
            if (used + c.Length > 250) { entries.Add([]); used = 0; }
            entries[^1].Add(c);
            used += c.Length;
        }
        var result = new List<byte[]>();
        for (int i = 0; i < entries.Count; i++)
        {
            int len = 5 + entries[i].Sum(c => c.Length);
            var b = Header("SL", len, i < entries.Count - 1 ? 1 : 0);
            int at = 5;
            foreach (var c in entries[i]) { c.CopyTo(b, at); at += c.Length; }
            result.Add(b);
        }
        return result;
    }

    /// <summary>SUSP 5.1 CE, its location fields patched once the continuation area is placed.</summary>
    public static byte[] CE() => Header("CE", CeLength, -1);
}

/// <summary>
/// A run of SUSP entries: the system use field of a record, or a continuation area (then placed at
/// <see cref="Lba"/>/<see cref="Offset"/>). When the entries do not fit, the area ends with a CE pointing at <see cref="Next"/>.
/// </summary>
internal sealed class SuspArea
{
    public byte[] Bytes { get; private set; } = [];
    public SuspArea? Next { get; private set; }
    public long Lba { get; set; }
    public int Offset { get; set; }

    /// <summary>Packs <paramref name="entries"/> into an area of <paramref name="capacity"/> bytes, spilling into continuation areas.</summary>
    public static SuspArea Pack(IReadOnlyList<byte[]> entries, int capacity, List<SuspArea> continuations)
    {
        var area = new SuspArea();
        int total = entries.Sum(e => e.Length);
        if (total <= capacity)
        {
            area.Bytes = Concat(entries, entries.Count);
            return area;
        }
        int used = 0, count = 0;
        while (count < entries.Count && used + entries[count].Length <= capacity - RockRidge.CeLength)
            used += entries[count++].Length;
        var head = Concat(entries, count);
        var bytes = new byte[head.Length + RockRidge.CeLength];
        head.CopyTo(bytes, 0);
        RockRidge.CE().CopyTo(bytes, head.Length);
        area.Bytes = bytes;
        var rest = entries.Skip(count).ToList();
        var next = Pack(rest, IsoBinary.SectorSize, continuations);
        continuations.Add(next);
        area.Next = next;
        return area;
    }

    /// <summary>Writes the CE location (block, offset, length of <see cref="Next"/>) once areas are placed.</summary>
    public void PatchContinuation()
    {
        if (Next is null) return;
        int at = Bytes.Length - RockRidge.CeLength;
        IsoBinary.Both32(Bytes, at + 4, (uint)Next.Lba);
        IsoBinary.Both32(Bytes, at + 12, (uint)Next.Offset);
        IsoBinary.Both32(Bytes, at + 20, (uint)Next.Bytes.Length);
    }

    private static byte[] Concat(IReadOnlyList<byte[]> entries, int count)
    {
        var b = new byte[entries.Take(count).Sum(e => e.Length)];
        int at = 0;
        for (int i = 0; i < count; i++) { entries[i].CopyTo(b, at); at += entries[i].Length; }
        return b;
    }
}
