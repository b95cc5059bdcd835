using System.Text;
using Pungi.Build.Rpm;

namespace Pungi.Build.Pkgset;

/// <summary>
/// The fields the package-set rules need (identity, source RPM, signing key, arch lists), read from the front of a
/// cached record without decoding the rest: a warm rerun works on these alone and copies the record bytes through.
/// </summary>
public sealed record PackageSummary(
    string Name,
    string? Epoch,
    string Version,
    string Release,
    string Arch,
    string SourceRpm,
    string? SignatureKeyId,
    IReadOnlyList<string> ExcludeArch,
    IReadOnlyList<string> ExclusiveArch)
{
    public bool IsSource => Arch is "src" or "nosrc";
    public Evr Evr => new(Epoch, Version, Release);
    /// <summary>Pungi's sigkey: last 8 hex digits of the key ID, lower case; null when unsigned.</summary>
    public string? SigKey => SignatureKeyId is { Length: >= 8 } id ? id[^8..] : null;
    public string Nevra => $"{Name}-{(string.IsNullOrEmpty(Epoch) || Epoch == "0" ? "" : Epoch + ":")}{Version}-{Release}.{Arch}";
    /// <summary><c>name-version-release.arch.rpm</c>, what a binary's SOURCERPM names for an SRPM.</summary>
    public string FileName => $"{Name}-{Version}-{Release}.{Arch}.rpm";
    /// <summary>Name part of the SRPM file name (Pungi's <c>parse_nvra(sourcerpm)["name"]</c>).</summary>
    public string SourceName => IsSource ? Name : RpmPackage.SplitSourceName(SourceRpm);
}

/// <summary>
/// Compact binary form of a whole <see cref="RpmPackage"/> (everything repodata needs), used by the header cache and
/// the per-arch package-set files. The summary fields come first so <see cref="ReadSummary"/> stops early.
/// </summary>
public static class PackageCodec
{
    /// <param name="archOverride">Arch to store instead of <see cref="RpmPackage.Arch"/> (repodata writes nosrc as src).</param>
    public static byte[] Encode(RpmPackage p, string? archOverride = null)
    {
        using var ms = new MemoryStream(1024);
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            // summary
            w.Write(p.Name); WriteNullable(w, p.Epoch); w.Write(p.Version); w.Write(p.Release); w.Write(archOverride ?? p.Arch);
            w.Write(p.SourceRpm); WriteNullable(w, p.SignatureKeyId);
            WriteStrings(w, p.ExcludeArch); WriteStrings(w, p.ExclusiveArch);
            // the rest
            w.Write(p.Summary); w.Write(p.Description); w.Write(p.Packager); w.Write(p.Url); w.Write(p.License);
            w.Write(p.Vendor); w.Write(p.Group); w.Write(p.BuildHost);
            w.Write(p.BuildTime); w.Write(p.FileTime); w.Write(p.PackageSize); w.Write(p.InstalledSize); w.Write(p.ArchiveSize);
            w.Write(p.HeaderStart); w.Write(p.HeaderEnd);
            foreach (var deps in new[] { p.Provides, p.Requires, p.Conflicts, p.Obsoletes, p.Recommends, p.Suggests, p.Supplements, p.Enhances })
            {
                w.Write7BitEncodedInt(deps.Count);
                foreach (var d in deps) { w.Write(d.Name); w.Write((uint)d.Flags); WriteNullable(w, d.Version); }
            }
            w.Write7BitEncodedInt(p.Files.Count);
            foreach (var f in p.Files) { w.Write(f.Path); w.Write((byte)f.Type); }
            w.Write7BitEncodedInt(p.Changelogs.Count);
            foreach (var c in p.Changelogs) { w.Write(c.Author); w.Write(c.Date); w.Write(c.Text); }
            WriteNullable(w, p.HeaderSha1); WriteNullable(w, p.HeaderSha256);
            w.Write(p.Location); WriteNullable(w, p.Checksum); w.Write(p.ChecksumType);
        }
        return ms.ToArray();
    }

    public static PackageSummary ReadSummary(byte[] record)
    {
        using var r = new BinaryReader(new MemoryStream(record, writable: false), Encoding.UTF8);
        return ReadSummary(r);
    }

    private static PackageSummary ReadSummary(BinaryReader r)
        => new(r.ReadString(), ReadNullable(r), r.ReadString(), r.ReadString(), r.ReadString(), r.ReadString(),
            ReadNullable(r), ReadStrings(r), ReadStrings(r));

    /// <param name="locationOverride">Location to give the package instead of the stored one (a package set's relative path).</param>
    public static RpmPackage Decode(byte[] record, string? locationOverride = null)
    {
        using var r = new BinaryReader(new MemoryStream(record, writable: false), Encoding.UTF8);
        var s = ReadSummary(r);
        string summary = r.ReadString(), description = r.ReadString(), packager = r.ReadString(), url = r.ReadString(),
            license = r.ReadString(), vendor = r.ReadString(), group = r.ReadString(), buildHost = r.ReadString();
        long buildTime = r.ReadInt64(), fileTime = r.ReadInt64(), packageSize = r.ReadInt64(), installedSize = r.ReadInt64(),
            archiveSize = r.ReadInt64(), headerStart = r.ReadInt64(), headerEnd = r.ReadInt64();
        var deps = new Dependency[8][];
        for (int k = 0; k < deps.Length; k++)
        {
            var list = new Dependency[r.Read7BitEncodedInt()];
            for (int i = 0; i < list.Length; i++)
                list[i] = new Dependency(r.ReadString(), (DependencyFlags)r.ReadUInt32(), ReadNullable(r));
            deps[k] = list;
        }
        var files = new PackageFile[r.Read7BitEncodedInt()];
        for (int i = 0; i < files.Length; i++) files[i] = new PackageFile(r.ReadString(), (PackageFileType)r.ReadByte());
        var changelogs = new ChangelogEntry[r.Read7BitEncodedInt()];
        for (int i = 0; i < changelogs.Length; i++) changelogs[i] = new ChangelogEntry(r.ReadString(), r.ReadInt64(), r.ReadString());
        string? sha1 = ReadNullable(r), sha256 = ReadNullable(r);
        string location = r.ReadString();
        string? checksum = ReadNullable(r);
        string checksumType = r.ReadString();
        return new RpmPackage
        {
            Name = s.Name, Epoch = s.Epoch, Version = s.Version, Release = s.Release, Arch = s.Arch, SourceRpm = s.SourceRpm,
            SignatureKeyId = s.SignatureKeyId, ExcludeArch = s.ExcludeArch, ExclusiveArch = s.ExclusiveArch,
            Summary = summary, Description = description, Packager = packager, Url = url, License = license, Vendor = vendor,
            Group = group, BuildHost = buildHost, BuildTime = buildTime, FileTime = fileTime, PackageSize = packageSize,
            InstalledSize = installedSize, ArchiveSize = archiveSize, HeaderStart = headerStart, HeaderEnd = headerEnd,
            Provides = deps[0], Requires = deps[1], Conflicts = deps[2], Obsoletes = deps[3], Recommends = deps[4],
            Suggests = deps[5], Supplements = deps[6], Enhances = deps[7], Files = files, Changelogs = changelogs,
            HeaderSha1 = sha1, HeaderSha256 = sha256, Location = locationOverride ?? location, Checksum = checksum, ChecksumType = checksumType,
        };
    }

    /// <summary>The build time alone: the summary and the eight text fields skipped, nothing else decoded.</summary>
    public static long ReadBuildTime(byte[] record)
    {
        using var r = new BinaryReader(new MemoryStream(record, writable: false), Encoding.UTF8);
        ReadSummary(r);
        for (int i = 0; i < 8; i++) r.ReadString();
        return r.ReadInt64();
    }

    private static void WriteNullable(BinaryWriter w, string? s)
    {
        w.Write(s is not null);
        if (s is not null) w.Write(s);
    }

    private static string? ReadNullable(BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;

    private static void WriteStrings(BinaryWriter w, IReadOnlyList<string> list)
    {
        w.Write7BitEncodedInt(list.Count);
        foreach (var s in list) w.Write(s);
    }

    private static string[] ReadStrings(BinaryReader r)
    {
        var a = new string[r.Read7BitEncodedInt()];
        for (int i = 0; i < a.Length; i++) a[i] = r.ReadString();
        return a;
    }
}
