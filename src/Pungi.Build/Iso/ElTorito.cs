using System.Buffers.Binary;
using System.Text;

namespace Pungi.Build.Iso;

/// <summary>El Torito 1.0: boot record volume descriptor, boot catalog, and mkisofs' boot-info-table.</summary>
internal static class ElTorito
{
    public const byte PlatformX86 = 0;
    public const byte PlatformEfi = 0xEF;

    /// <summary>Boot Record Volume Descriptor (El Torito 2.0): "EL TORITO SPECIFICATION" and the catalog's LBA at 0x47.</summary>
    public static byte[] BootRecord(long catalogLba)
    {
        var b = new byte[IsoBinary.SectorSize];
        b[0] = 0;
        "CD001"u8.CopyTo(b.AsSpan(1));
        b[6] = 1;
        Encoding.ASCII.GetBytes("EL TORITO SPECIFICATION").CopyTo(b, 7);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(0x47), (uint)catalogLba);
        return b;
    }

    public sealed record Entry(byte Platform, long Lba, int LoadSectors);

    /// <summary>
    /// The catalog: validation entry (platform of the first image, 0x55AA, word checksum zero), the default entry,
    /// then one section (header 0x91 = last) per further image, as mkisofs/xorriso write for <c>-eltorito-alt-boot</c>.
    /// </summary>
    public static byte[] Catalog(IReadOnlyList<Entry> entries)
    {
        var b = new byte[IsoBinary.SectorSize];
        b[0] = 1;
        b[1] = entries[0].Platform;
        b[0x1E] = 0x55;
        b[0x1F] = 0xAA;
        int sum = 0;
        for (int i = 0; i < 32; i += 2) sum += BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(i));
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(0x1C), (ushort)(-sum & 0xFFFF));
        WriteBootEntry(b.AsSpan(32, 32), entries[0]);
        int at = 64;
        for (int i = 1; i < entries.Count; i++)
        {
            b[at] = (byte)(i == entries.Count - 1 ? 0x91 : 0x90);
            b[at + 1] = entries[i].Platform;
            BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(at + 2), 1);
            WriteBootEntry(b.AsSpan(at + 32, 32), entries[i]);
            at += 64;
        }
        return b;
    }

    private static void WriteBootEntry(Span<byte> e, Entry entry)
    {
        e[0] = 0x88; // bootable
        e[1] = 0; // no emulation
        BinaryPrimitives.WriteUInt16LittleEndian(e[2..], 0); // load segment 0 = 0x7C0
        e[4] = 0; // system type
        BinaryPrimitives.WriteUInt16LittleEndian(e[6..], (ushort)entry.LoadSectors);
        BinaryPrimitives.WriteUInt32LittleEndian(e[8..], (uint)entry.Lba);
    }

    /// <summary>
    /// mkisofs <c>-boot-info-table</c>: the 32-bit little-endian sum of every word from byte 64 to the end of the
    /// boot file (a short last word zero-padded), streamed from the file.
    /// </summary>
    public static uint BootFileChecksum(string path, long size)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        if (size <= 64) return 0;
        fs.Position = 64;
        var buf = new byte[1 << 16];
        uint sum = 0;
        long left = size - 64;
        while (left > 0)
        {
            // Full buffers (a multiple of 4) except at the end, where the last word is zero-padded.
            int n = fs.ReadAtLeast(buf.AsSpan(0, (int)Math.Min(buf.Length, left)), (int)Math.Min(buf.Length, left), throwOnEndOfStream: false);
            if (n <= 0) break;
            int words = (n + 3) / 4;
            buf.AsSpan(n, words * 4 - n).Clear();
            for (int i = 0; i < words * 4; i += 4) sum += BinaryPrimitives.ReadUInt32LittleEndian(buf.AsSpan(i));
            left -= n;
        }
        return sum;
    }

    /// <summary>Bytes 8-63 of the boot file: PVD LBA (16), file LBA, file length, checksum, 40 reserved zero bytes.</summary>
    public static void PatchBootInfoTable(Span<byte> head, long fileLba, long size, uint checksum)
    {
        head[8..64].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(head[8..], 16);
        BinaryPrimitives.WriteUInt32LittleEndian(head[12..], (uint)fileLba);
        BinaryPrimitives.WriteUInt32LittleEndian(head[16..], (uint)size);
        BinaryPrimitives.WriteUInt32LittleEndian(head[20..], checksum);
    }
}

/// <summary>
/// The isohybrid system area: syslinux MBR code, the boot file's 512-byte LBA at 432, an MBR with partition 1
/// (active, from 0, the whole image; type 0x17, or 0x00 when a GPT is present, as <c>isohybrid --uefi</c> and
/// <c>xorriso -isohybrid-gpt-basdat</c> leave it) and partition 2 (type 0xEF) on the EFI image, plus a GPT with
/// two "basic data" partitions (the ISO and the EFI image) and its backup at the end. Geometry 64 heads × 32
/// sectors, image padded to whole cylinders (1 MiB).
/// </summary>
internal static class HybridBoot
{
    private const int Heads = 64;
    private const int SectorsPerTrack = 32;
    public const long CylinderBytes = Heads * SectorsPerTrack * 512L;
    private const int GptEntries = 128;
    private const int GptEntrySize = 128;
    private const int GptEntrySectors = GptEntries * GptEntrySize / 512; // 32
    private static readonly Guid BasicData = new("EBD0A0A2-B9E5-4433-87C0-68B6B72699C7");

    public static readonly string[] MbrCodeLocations = ["/usr/lib/ISOLINUX/isohdpfx.bin", "/usr/share/syslinux/isohdpfx.bin", "/usr/lib/syslinux/isohdpfx.bin"];

    public static byte[] LoadMbrCode(string? path)
    {
        var code = new byte[432];
        string? found = path ?? MbrCodeLocations.FirstOrDefault(File.Exists);
        if (found is null) return code;
        using var fs = File.OpenRead(found);
        int n = fs.ReadAtLeast(code, code.Length, throwOnEndOfStream: false);
        _ = n;
        return code;
    }

    public sealed record Layout(long TotalBytes, long BiosLba, long EfiLba, long EfiSize, byte[] MbrCode, byte[] Seed);

    /// <summary>The first 32 KiB of the image (ISO 9660 system area).</summary>
    public static byte[] SystemArea(Layout l, out byte[] gptBackup)
    {
        var area = new byte[16 * IsoBinary.SectorSize];
        l.MbrCode.AsSpan(0, 432).CopyTo(area);
        long total512 = l.TotalBytes / 512;
        BinaryPrimitives.WriteUInt32LittleEndian(area.AsSpan(432), (uint)(l.BiosLba * 4));
        BinaryPrimitives.WriteUInt32LittleEndian(area.AsSpan(440), BinaryPrimitives.ReadUInt32LittleEndian(l.Seed));
        bool gpt = l.EfiSize > 0;
        long efiStart = l.EfiLba * 4, efiCount = (l.EfiSize + 511) / 512;
        MbrPartition(area.AsSpan(446), 0x80, gpt ? (byte)0x00 : (byte)0x17, 0, total512);
        if (gpt) MbrPartition(area.AsSpan(462), 0x00, 0xEF, efiStart, efiCount);
        area[510] = 0x55;
        area[511] = 0xAA;
        gptBackup = [];
        if (!gpt) return area;

        var diskGuid = GuidFrom(l.Seed, 0);
        var entries = new byte[GptEntries * GptEntrySize];
        GptEntry(entries.AsSpan(0, GptEntrySize), GuidFrom(l.Seed, 1), 0, total512 - GptEntrySectors - 2, "ISOHybrid ISO");
        GptEntry(entries.AsSpan(GptEntrySize, GptEntrySize), GuidFrom(l.Seed, 2), efiStart, efiStart + efiCount - 1, "ISOHybrid");
        uint entriesCrc = Crc32.Compute(entries);
        long firstUsable = 2 + GptEntrySectors, lastUsable = total512 - 2 - GptEntrySectors;
        var primary = GptHeader(1, total512 - 1, firstUsable, lastUsable, diskGuid, 2, entriesCrc);
        primary.CopyTo(area, 512);
        entries.CopyTo(area, 1024);
        // Backup: entries then header in the last 33 sectors.
        gptBackup = new byte[(GptEntrySectors + 1) * 512];
        entries.CopyTo(gptBackup, 0);
        GptHeader(total512 - 1, 1, firstUsable, lastUsable, diskGuid, total512 - 1 - GptEntrySectors, entriesCrc).CopyTo(gptBackup, GptEntrySectors * 512);
        return area;
    }

    /// <summary><c>-chrp-boot</c>: no boot code, one MBR partition of type 0x96 (CHRP) over the whole image.</summary>
    public static byte[] ChrpSystemArea(long totalBytes)
    {
        var area = new byte[16 * IsoBinary.SectorSize];
        MbrPartition(area.AsSpan(446), 0x00, 0x96, 0, totalBytes / 512);
        area[510] = 0x55;
        area[511] = 0xAA;
        return area;
    }

    private static byte[] GptHeader(long current, long backup, long firstUsable, long lastUsable, Guid disk, long entriesLba, uint entriesCrc)
    {
        var h = new byte[512];
        "EFI PART"u8.CopyTo(h);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(8), 0x00010000);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(12), 92);
        BinaryPrimitives.WriteUInt64LittleEndian(h.AsSpan(24), (ulong)current);
        BinaryPrimitives.WriteUInt64LittleEndian(h.AsSpan(32), (ulong)backup);
        BinaryPrimitives.WriteUInt64LittleEndian(h.AsSpan(40), (ulong)firstUsable);
        BinaryPrimitives.WriteUInt64LittleEndian(h.AsSpan(48), (ulong)lastUsable);
        disk.TryWriteBytes(h.AsSpan(56));
        BinaryPrimitives.WriteUInt64LittleEndian(h.AsSpan(72), (ulong)entriesLba);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(80), GptEntries);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(84), GptEntrySize);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(88), entriesCrc);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(16), Crc32.Compute(h.AsSpan(0, 92)));
        return h;
    }

    private static void GptEntry(Span<byte> e, Guid unique, long first, long last, string name)
    {
        BasicData.TryWriteBytes(e);
        unique.TryWriteBytes(e[16..]);
        BinaryPrimitives.WriteUInt64LittleEndian(e[32..], (ulong)first);
        BinaryPrimitives.WriteUInt64LittleEndian(e[40..], (ulong)last);
        Encoding.Unicode.GetBytes(name).CopyTo(e[56..]);
    }

    /// <summary>A version-4-shaped GUID derived from the image's seed, so the same image gets the same GUIDs.</summary>
    private static Guid GuidFrom(byte[] seed, int index)
    {
        var b = seed.AsSpan(0, 16).ToArray();
        b[15] ^= (byte)index;
        b[7] = (byte)((b[7] & 0x0F) | 0x40);
        b[8] = (byte)((b[8] & 0x3F) | 0x80);
        return new Guid(b);
    }

    private static void MbrPartition(Span<byte> p, byte status, byte type, long start, long count)
    {
        p[0] = status;
        Chs(p[1..], start);
        p[4] = type;
        Chs(p[5..], start + count - 1);
        BinaryPrimitives.WriteUInt32LittleEndian(p[8..], (uint)start);
        BinaryPrimitives.WriteUInt32LittleEndian(p[12..], (uint)count);
    }

    private static void Chs(Span<byte> b, long lba)
    {
        long c = lba / (Heads * SectorsPerTrack), h = lba / SectorsPerTrack % Heads, s = lba % SectorsPerTrack + 1;
        if (c > 1023) { c = 1023; h = Heads - 1; s = SectorsPerTrack; }
        b[0] = (byte)h;
        b[1] = (byte)(s | ((c >> 2) & 0xC0));
        b[2] = (byte)(c & 0xFF);
    }
}
