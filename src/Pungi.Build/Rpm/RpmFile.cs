using System.Buffers.Binary;
using System.Text;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Rpm;

/// <summary>The 96-byte lead every RPM starts with (rpm's <c>struct rpmlead_s</c>).</summary>
public sealed record RpmLead(int Major, int Minor, int Type, int ArchNum, string Name, int OsNum, int SignatureType)
{
    public const int Size = 96;

    /// <summary>Lead type 1 marks a source package.</summary>
    public bool IsSource => Type == 1;
}

/// <summary>
/// An RPM file's structure read from its first bytes only: lead, signature header (padded to 8 bytes) and main
/// header. The payload is not touched; <see cref="HeaderEnd"/> is where it starts.
/// </summary>
public sealed class RpmFile
{
    private RpmFile(string path, RpmLead lead, RpmHeader signature, RpmHeader header, long headerStart, long fileSize)
    {
        Path = path;
        Lead = lead;
        Signature = signature;
        Header = header;
        HeaderStart = headerStart;
        HeaderEnd = headerStart + header.Length;
        FileSize = fileSize;
    }

    public string Path { get; }
    public RpmLead Lead { get; }
    public RpmHeader Signature { get; }
    public RpmHeader Header { get; }

    /// <summary>Offset of the main header (createrepo_c's <c>rpm:header-range start</c>).</summary>
    public long HeaderStart { get; }

    /// <summary>Offset just past the main header, where the payload begins (<c>rpm:header-range end</c>).</summary>
    public long HeaderEnd { get; }

    public long FileSize { get; }

    /// <summary>Opens an RPM and reads its headers (only header bytes are read).</summary>
    public static RpmFile Open(string path)
    {
        FileStream fs;
        try
        {
            fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new PungiException(ErrorCodes.RpmUnreadable, $"cannot open the RPM: {ex.Message}", path, inner: ex);
        }
        using (fs)
            return Read(fs, path);
    }

    /// <summary>Reads the headers from a stream positioned at the lead; the stream's length bounds every size read.</summary>
    public static RpmFile Read(Stream stream, string path)
    {
        try
        {
            return ReadCore(stream, path);
        }
        catch (IOException ex)
        {
            throw new PungiException(ErrorCodes.RpmUnreadable, $"cannot read the RPM: {ex.Message}", path, inner: ex);
        }
    }

    private static RpmFile ReadCore(Stream stream, string path)
    {
        long fileSize = stream.CanSeek ? stream.Length : long.MaxValue;
        long start0 = stream.CanSeek ? stream.Position : 0;
        Span<byte> intro = stackalloc byte[RpmLead.Size + RpmHeader.IntroSize];
        int got = ReadFully(stream, intro);
        if (got < 4 || intro[0] != 0xed || intro[1] != 0xab || intro[2] != 0xee || intro[3] != 0xdb)
            throw new PungiException(ErrorCodes.RpmNotAnRpm, "not an RPM package (the file does not start with the RPM lead magic ED AB EE DB)", path);
        if (got < RpmLead.Size)
            throw new PungiException(ErrorCodes.RpmTruncated, $"the RPM is truncated: the file ends inside the {RpmLead.Size}-byte lead", path);
        var lead = ParseLead(intro[..RpmLead.Size], path);
        if (got < intro.Length)
            throw new PungiException(ErrorCodes.RpmTruncated, "the RPM is truncated: the file ends before the signature header", path);

        var (sil, sdl) = RpmHeader.ReadIntro(intro[RpmLead.Size..], path, "the signature header");
        long sigSize = 16L * sil + sdl;
        long pad = (8 - sigSize % 8) % 8;
        long headerStart = RpmLead.Size + RpmHeader.IntroSize + sigSize + pad;
        if (headerStart + RpmHeader.IntroSize > fileSize - start0)
            throw new PungiException(ErrorCodes.RpmTruncated, $"the RPM is truncated: the signature header needs {sigSize} bytes but the file has {fileSize - start0} in all", path);
        var signature = ReadBody(stream, sil, sdl, path, "the signature header");

        // Padding and the main header's intro in one read.
        Span<byte> padAndIntro = stackalloc byte[(int)pad + RpmHeader.IntroSize];
        if (ReadFully(stream, padAndIntro) < padAndIntro.Length)
            throw new PungiException(ErrorCodes.RpmTruncated, "the RPM is truncated: the file ends before the main header", path);
        var (il, dl) = RpmHeader.ReadIntro(padAndIntro[(int)pad..], path, "the main header");
        long headerLength = RpmHeader.IntroSize + 16L * il + dl;
        if (headerStart + headerLength > fileSize - start0)
            throw new PungiException(ErrorCodes.RpmTruncated, $"the RPM is truncated: the main header needs {headerLength} bytes at offset {headerStart} but the file has {fileSize - start0}", path);
        var header = ReadBody(stream, il, dl, path, "the main header");
        return new RpmFile(path, lead, signature, header, headerStart, fileSize == long.MaxValue ? headerStart + headerLength : fileSize - start0);
    }

    private static RpmHeader ReadBody(Stream stream, int il, int dl, string path, string what)
    {
        // One buffer for index and store; bounded by the file length checked by the caller.
        var index = new byte[16 * il];
        var data = new byte[dl];
        if (ReadFully(stream, index) < index.Length || ReadFully(stream, data) < data.Length)
            throw new PungiException(ErrorCodes.RpmTruncated, $"the RPM is truncated: the file ends inside {what}", path);
        return RpmHeader.Parse(index, data, path, what);
    }

    private static RpmLead ParseLead(ReadOnlySpan<byte> b, string path)
    {
        int major = b[4], minor = b[5];
        // rpm refuses leads older than version 3 and any signature type but 5 (RPMSIGTYPE_HEADERSIG).
        if (major < 3 || major > 4)
            throw new PungiException(ErrorCodes.RpmNotAnRpm, $"unsupported RPM lead version {major}.{minor} (rpm reads 3.x and 4.x)", path);
        int type = BinaryPrimitives.ReadUInt16BigEndian(b[6..]);
        int archnum = BinaryPrimitives.ReadUInt16BigEndian(b[8..]);
        var nameBytes = b.Slice(10, 66);
        int nul = nameBytes.IndexOf((byte)0);
        string name = Encoding.UTF8.GetString(nul < 0 ? nameBytes : nameBytes[..nul]);
        int osnum = BinaryPrimitives.ReadUInt16BigEndian(b[76..]);
        int sigType = BinaryPrimitives.ReadUInt16BigEndian(b[78..]);
        if (sigType != 5)
            throw new PungiException(ErrorCodes.RpmNotAnRpm, $"unsupported RPM signature type {sigType} in the lead (rpm reads only 5, header-style signatures)", path);
        return new RpmLead(major, minor, type, archnum, name, osnum, sigType);
    }

    internal static int ReadFully(Stream s, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = s.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    /// <summary>A tag from the main header, falling back to its signature-header twin (as rpm merges them when reading).</summary>
    internal long? NumberWithSignatureFallback(int mainTag, int sigTag)
        => Header.GetNumber(mainTag) ?? Signature.GetNumber(sigTag);

    /// <summary>Every OpenPGP signature in the headers, header-only signatures (RSA/DSA header) first.</summary>
    public IReadOnlyList<(string Tag, OpenPgpSignature Signature)> GetSignatures()
    {
        var result = new List<(string, OpenPgpSignature)>(1);
        Add("RSAHEADER", Signature.GetBinary(RpmTag.SigRsa) ?? Header.GetBinary(RpmTag.RsaHeader));
        Add("DSAHEADER", Signature.GetBinary(RpmTag.SigDsa) ?? Header.GetBinary(RpmTag.DsaHeader));
        Add("SIGGPG", Signature.GetBinary(RpmTag.SigGpg) ?? Header.GetBinary(RpmTag.SigGpgRetrofit));
        Add("SIGPGP", Signature.GetBinary(RpmTag.SigPgp) ?? Header.GetBinary(RpmTag.SigPgpRetrofit));
        return result;

        void Add(string name, byte[]? packet)
        {
            if (packet is { Length: > 0 }) result.Add((name, OpenPgpSignature.Parse(packet, Path, name)));
        }
    }
}
