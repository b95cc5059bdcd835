using System.Text;

namespace Pungi.Build.Iso;

/// <summary>
/// File identifiers of the ISO 9660 tree (d-characters, interchange levels) and of the Joliet tree (UCS-2), unique
/// within their directory, and the ECMA-119 9.3 directory record order.
/// </summary>
internal static class IsoNames
{
    /// <summary>
    /// Level 1: 8.3 names; levels 2 and 3: at most 30 characters of name and extension (31 for directories).
    /// Letters are upper-cased, anything outside A-Z 0-9 _ becomes '_'; files get ".ext;1" (ECMA-119 7.5).
    /// Collisions are resolved by replacing the end of the name with a counter, in the caller's (ordinal) order.
    /// </summary>
    public static void AssignIsoIds(IsoNode dir, int level)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var child in dir.Children.Values)
        {
            string id = child.IsDirectory ? DirId(child.Name, level) : FileId(child.Name, level);
            if (!used.Add(id))
            {
                for (int n = 1; ; n++)
                {
                    string candidate = child.IsDirectory ? Mangle(id, "", n, level == 1 ? 8 : 31) : MangleFile(id, n, level);
                    if (used.Add(candidate)) { id = candidate; break; }
                }
            }
            child.IsoId = Encoding.ASCII.GetBytes(id);
        }
    }

    private static string DirId(string name, int level) => DChars(name.Replace('.', '_'), level == 1 ? 8 : 31);

    private static string FileId(string name, int level)
    {
        int dot = name.LastIndexOf('.');
        string stem = dot > 0 ? name[..dot] : name;
        string ext = dot > 0 ? name[(dot + 1)..] : "";
        if (level == 1)
        {
            stem = DChars(stem.Replace('.', '_'), 8);
            ext = DChars(ext, 3);
        }
        else
        {
            ext = DChars(ext, 29);
            stem = DChars(stem.Replace('.', '_'), 30 - ext.Length);
        }
        if (stem.Length == 0 && ext.Length == 0) stem = "_";
        return stem + "." + ext + ";1";
    }

    private static string MangleFile(string id, int n, int level)
    {
        int dot = id.IndexOf('.');
        int extLength = id.IndexOf(';') - dot - 1;
        return Mangle(id[..dot], id[dot..], n, level == 1 ? 8 : 30 - extLength);
    }

    /// <summary>Appends the counter while there is room, else overwrites the end of the stem with it.</summary>
    private static string Mangle(string stem, string rest, int n, int max)
    {
        string counter = n.ToString();
        int keep = Math.Min(stem.Length, Math.Max(0, max - counter.Length));
        return stem[..keep] + counter + rest;
    }

    private static string DChars(string s, int max)
    {
        var sb = new StringBuilder(Math.Min(s.Length, max));
        foreach (char c in s)
        {
            if (sb.Length == max) break;
            if (char.IsLowSurrogate(c)) continue;
            char u = c is >= 'a' and <= 'z' ? (char)(c - 32) : c;
            sb.Append(u is >= 'A' and <= 'Z' or >= '0' and <= '9' or '_' ? u : '_');
        }
        return sb.ToString();
    }

    /// <summary>
    /// Joliet: the real name in UCS-2 big-endian, characters Joliet forbids (* / : ; ? \ and controls) as '_',
    /// cut to 64 characters (103 with -joliet-long) keeping a short extension; no version suffix (as xorriso).
    /// </summary>
    public static void AssignJolietIds(IsoNode dir, bool jolietLong)
    {
        int max = jolietLong ? 103 : 64;
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var child in dir.Children.Values)
        {
            if (child.Kind == IsoNodeKind.Symlink) continue; // Joliet has no symlinks (libisofs leaves them out too)
            string name = JolietName(child.Name, max, child.IsDirectory);
            for (int n = 1; !used.Add(name); n++)
                name = JolietName(child.Name, max - n.ToString().Length, child.IsDirectory, n.ToString());
            child.JolietId = Encoding.BigEndianUnicode.GetBytes(name); // no ";1", as xorriso writes Joliet
        }
    }

    /// <summary>The Joliet name of <paramref name="name"/> (without ";1") under the given length limit.</summary>
    public static string JolietName(string name, int max, bool isDirectory, string suffix = "")
    {
        var sb = new StringBuilder(name.Length);
        foreach (char c in name)
            sb.Append(c < 0x20 || c is '*' or '/' or ':' or ';' or '?' or '\\' ? '_' : c);
        string clean = sb.ToString();
        if (clean.Length + suffix.Length <= max) return clean + suffix;
        int dot = isDirectory ? -1 : clean.LastIndexOf('.');
        string ext = dot > 0 && clean.Length - dot <= 6 ? clean[dot..] : "";
        string stem = ext.Length > 0 ? clean[..dot] : clean;
        return IsoBinary.TruncateUtf16(stem, max - ext.Length - suffix.Length) + suffix + ext;
    }

    /// <summary>
    /// ECMA-119 9.3: records ordered by file name, then extension (the shorter padded with spaces), then version
    /// (descending). Joliet ids (UCS-2) are ordered the same way on their 16-bit units.
    /// </summary>
    public static int CompareIds(byte[] a, byte[] b, bool ucs2)
    {
        Split(a, ucs2, out var aName, out var aExt, out var aVer);
        Split(b, ucs2, out var bName, out var bExt, out var bVer);
        int c = ComparePadded(aName, bName, ucs2);
        if (c != 0) return c;
        c = ComparePadded(aExt, bExt, ucs2);
        if (c != 0) return c;
        return -ComparePadded(aVer, bVer, ucs2);
    }

    private static void Split(byte[] id, bool ucs2, out ReadOnlyMemory<byte> name, out ReadOnlyMemory<byte> ext, out ReadOnlyMemory<byte> ver)
    {
        int step = ucs2 ? 2 : 1;
        int dot = -1, semi = id.Length;
        for (int i = 0; i + step - 1 < id.Length; i += step)
        {
            bool isDot = ucs2 ? id[i] == 0 && id[i + 1] == '.' : id[i] == '.';
            bool isSemi = ucs2 ? id[i] == 0 && id[i + 1] == ';' : id[i] == ';';
            if (isSemi) { semi = i; break; }
            if (isDot) dot = i;
        }
        var mem = id.AsMemory();
        if (dot < 0)
        {
            name = mem[..semi];
            ext = ReadOnlyMemory<byte>.Empty;
        }
        else
        {
            name = mem[..dot];
            ext = mem[(dot + step)..semi];
        }
        ver = semi < id.Length ? mem[(semi + step)..] : ReadOnlyMemory<byte>.Empty;
    }

    private static int ComparePadded(ReadOnlyMemory<byte> am, ReadOnlyMemory<byte> bm, bool ucs2)
    {
        var a = am.Span;
        var b = bm.Span;
        int n = Math.Max(a.Length, b.Length);
        for (int i = 0; i < n; i++)
        {
            int x = i < a.Length ? a[i] : Pad(i, ucs2);
            int y = i < b.Length ? b[i] : Pad(i, ucs2);
            if (x != y) return x - y;
        }
        return 0;
    }

    private static int Pad(int index, bool ucs2) => ucs2 && index % 2 == 0 ? 0 : ' ';
}
