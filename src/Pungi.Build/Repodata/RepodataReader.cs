using System.Globalization;
using System.Xml;
using Pungi.Build.Compression;
using Pungi.Build.Diagnostics;
using Pungi.Build.Rpm;

namespace Pungi.Build.Repodata;

/// <summary>What <see cref="RepodataReader.Read"/> reads besides primary.</summary>
public sealed record RepodataReadOptions
{
    /// <summary>Check every record's checksum (and size) against repomd.xml before parsing (default true).</summary>
    public bool VerifyChecksums { get; init; } = true;
    /// <summary>Read filelists for the full file list (default true); without it only primary's files are known.</summary>
    public bool Filelists { get; init; } = true;
    /// <summary>Read other for changelogs (default true).</summary>
    public bool Other { get; init; } = true;
}

/// <summary>
/// Reads repodata (repomd.xml, primary, filelists, other; gz, xz, zstd, bz2 or plain) as <see cref="RpmPackage"/>s,
/// streaming with <see cref="XmlReader"/>: filelists and other are read in step with primary and joined by pkgid, so
/// memory stays flat when they are in the same order (as createrepo_c writes them). Packages come back in the
/// model's header form: changelogs newest first, dependency versions as <c>[epoch:]version[-release]</c>, so that
/// <see cref="RepodataWriter"/> writes them back unchanged.
/// </summary>
public static class RepodataReader
{
    private static readonly XmlReaderSettings Settings = new()
    {
        IgnoreWhitespace = true,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
    };

    /// <summary>Reads <c><paramref name="repoDir"/>/repodata/repomd.xml</c>.</summary>
    public static Repomd ReadRepomd(string repoDir)
    {
        string path = Path.Combine(repoDir, "repodata", "repomd.xml");
        if (!File.Exists(path))
            throw new PungiException(ErrorCodes.RepomdMissing, $"No repodata/repomd.xml in '{repoDir}'; is it a repository (run createrepo_c on it)?", path);
        try
        {
            using var r = XmlReader.Create(path, Settings);
            string revision = "";
            var records = new List<RepomdRecord>();
            bool sawRoot = false;
            if (r.MoveToContent() == XmlNodeType.Element)
            {
                if (r.LocalName != "repomd") throw Malformed(path, r, $"the root element is <{r.Name}>, not <repomd>");
                sawRoot = true;
                r.Read();
            }
            while (sawRoot && !r.EOF)
            {
                if (r.NodeType == XmlNodeType.Element && r.Depth == 1 && r.LocalName == "revision") { revision = r.ReadElementContentAsString().Trim(); continue; }
                if (r.NodeType == XmlNodeType.Element && r.Depth == 1 && r.LocalName == "data") records.Add(ReadRecord(r, path));
                else if (r.NodeType == XmlNodeType.Element) { r.Skip(); continue; }
                r.Read();
            }
            if (!sawRoot) throw new PungiException(ErrorCodes.RepodataMalformed, "repomd.xml has no <repomd> element.", path);
            return new Repomd(revision, records);
        }
        catch (XmlException e)
        {
            throw new PungiException(ErrorCodes.RepodataMalformed, $"repomd.xml is not well-formed XML: {e.Message}", path, e.LineNumber, e.LinePosition, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PungiException(ErrorCodes.RepodataFileMissing, $"Cannot read repomd.xml: {e.Message}", path, inner: e);
        }
    }

    private static RepomdRecord ReadRecord(XmlReader r, string path)
    {
        var lineInfo = (IXmlLineInfo)r;
        int line = lineInfo.LineNumber, col = lineInfo.LinePosition;
        string? type = r.GetAttribute("type");
        string? checksum = null, checksumType = null, openChecksum = null, openChecksumType = null, href = null;
        long? timestamp = null, size = null, openSize = null;
        int? dbVersion = null;
        if (!r.IsEmptyElement)
        {
            int depth = r.Depth;
            r.Read();
            while (!(r.NodeType == XmlNodeType.EndElement && r.Depth == depth) && !r.EOF)
            {
                if (r.NodeType != XmlNodeType.Element) { r.Read(); continue; }
                switch (r.LocalName)
                {
                    case "checksum": checksumType = r.GetAttribute("type"); checksum = r.ReadElementContentAsString().Trim(); break;
                    case "open-checksum": openChecksumType = r.GetAttribute("type"); openChecksum = r.ReadElementContentAsString().Trim(); break;
                    case "location": href = r.GetAttribute("href"); r.Skip(); break;
                    case "timestamp": timestamp = ParseLong(r.ReadElementContentAsString(), path, r); break;
                    case "size": size = ParseLong(r.ReadElementContentAsString(), path, r); break;
                    case "open-size": openSize = ParseLong(r.ReadElementContentAsString(), path, r); break;
                    case "database_version": dbVersion = (int?)ParseLong(r.ReadElementContentAsString(), path, r); break;
                    default: r.Skip(); break;
                }
            }
        }
        if (type is null || href is null || checksum is null)
            throw new PungiException(ErrorCodes.RepodataMalformed, "A <data> record lacks its type, location href or checksum.", path, line, col);
        return new RepomdRecord
        {
            Type = type, Location = href, Checksum = checksum, ChecksumType = checksumType ?? RepodataChecksum.Default,
            OpenChecksum = openChecksum, OpenChecksumType = openChecksumType, Timestamp = timestamp, Size = size, OpenSize = openSize,
            DatabaseVersion = dbVersion,
        };
    }

    private static long? ParseLong(string s, string path, XmlReader r)
        => long.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) ? v : throw Malformed(path, r, $"'{s}' is not a number");

    private static PungiException Malformed(string path, XmlReader r, string what)
    {
        var li = (IXmlLineInfo)r;
        return new PungiException(ErrorCodes.RepodataMalformed, $"{Path.GetFileName(path)}: {what}.", path, li.LineNumber, li.LinePosition);
    }

    /// <summary>
    /// Reads the repository's packages. repomd.xml is read and the records' checksums verified now (so a broken
    /// repository fails here); the packages are parsed lazily as the sequence is enumerated.
    /// </summary>
    public static IEnumerable<RpmPackage> Read(string repoDir, RepodataReadOptions? options = null)
    {
        options ??= new RepodataReadOptions();
        var repomd = ReadRepomd(repoDir);
        var primary = repomd.Find("primary")
            ?? throw new PungiException(ErrorCodes.RepodataFileMissing, "repomd.xml has no primary record.", Path.Combine(repoDir, "repodata", "repomd.xml"));
        var filelists = options.Filelists ? repomd.Find("filelists") : null;
        var other = options.Other ? repomd.Find("other") : null;
        string primaryPath = Locate(repoDir, primary, options.VerifyChecksums);
        string? filelistsPath = filelists is null ? null : Locate(repoDir, filelists, options.VerifyChecksums);
        string? otherPath = other is null ? null : Locate(repoDir, other, options.VerifyChecksums);
        return ReadPackages(primaryPath, filelistsPath, otherPath);
    }

    /// <summary>Resolves a record's file and, when asked, checks its size and checksum.</summary>
    private static string Locate(string repoDir, RepomdRecord record, bool verify)
    {
        // Lookaside repositories are read from outside: a record may not point out of its repository (issue #13).
        string path = Compose.SafePath.Child(repoDir, record.Location, "repomd.xml location");
        if (!File.Exists(path))
            throw new PungiException(ErrorCodes.RepodataFileMissing,
                $"repomd.xml lists '{record.Location}' ({record.Type}) but the file is missing.", Path.Combine(repoDir, "repodata", "repomd.xml"));
        if (!verify) return path;
        if (record.Size is { } size && new FileInfo(path).Length != size)
            throw new PungiException(ErrorCodes.RepodataChecksumMismatch,
                $"{record.Type} is {new FileInfo(path).Length} bytes but repomd.xml says {size}; the repository is corrupt or half-written.", path);
        string actual = RepodataChecksum.OfFile(path, record.ChecksumType);
        if (!string.Equals(actual, record.Checksum, StringComparison.OrdinalIgnoreCase))
            throw new PungiException(ErrorCodes.RepodataChecksumMismatch,
                $"{record.Type} has {record.ChecksumType} {actual} but repomd.xml says {record.Checksum}; the repository is corrupt or half-written.", path);
        return path;
    }

    private static IEnumerable<RpmPackage> ReadPackages(string primaryPath, string? filelistsPath, string? otherPath)
    {
        using var files = filelistsPath is null ? null : new Joined<List<PackageFile>>(Guard(ParseFilelists(filelistsPath), filelistsPath));
        using var logs = otherPath is null ? null : new Joined<List<ChangelogEntry>>(Guard(ParseOther(otherPath), otherPath));
        foreach (var (pkg, primaryFiles) in Guard(ParsePrimary(primaryPath), primaryPath))
        {
            var fileList = files?.Take(pkg.Checksum!) ?? primaryFiles;
            var changelogs = logs?.Take(pkg.Checksum!);
            changelogs?.Reverse();
            yield return WithExtras(pkg, fileList, changelogs ?? []);
        }
    }

    private static RpmPackage WithExtras(RpmPackage p, IReadOnlyList<PackageFile> files, IReadOnlyList<ChangelogEntry> changelogs) => new()
    {
        Name = p.Name, Epoch = p.Epoch, Version = p.Version, Release = p.Release, Arch = p.Arch, Summary = p.Summary,
        Description = p.Description, Packager = p.Packager, Url = p.Url, License = p.License, Vendor = p.Vendor, Group = p.Group,
        BuildHost = p.BuildHost, SourceRpm = p.SourceRpm, BuildTime = p.BuildTime, FileTime = p.FileTime, PackageSize = p.PackageSize,
        InstalledSize = p.InstalledSize, ArchiveSize = p.ArchiveSize, HeaderStart = p.HeaderStart, HeaderEnd = p.HeaderEnd,
        Provides = p.Provides, Requires = p.Requires, Conflicts = p.Conflicts, Obsoletes = p.Obsoletes, Recommends = p.Recommends,
        Suggests = p.Suggests, Supplements = p.Supplements, Enhances = p.Enhances, Location = p.Location, Checksum = p.Checksum,
        ChecksumType = p.ChecksumType, Files = files, Changelogs = changelogs,
    };

    /// <summary>Turns XML and decompression failures raised while enumerating into PUNGI errors naming the file.</summary>
    private static IEnumerable<T> Guard<T>(IEnumerable<T> source, string path)
    {
        IEnumerator<T> e;
        try { e = source.GetEnumerator(); }
        catch (Exception ex) when (Translate(ex, path) is { } p) { throw p; }
        using (e)
        {
            while (true)
            {
                try
                {
                    if (!e.MoveNext()) yield break;
                }
                catch (Exception ex) when (Translate(ex, path) is { } p) { throw p; }
                yield return e.Current;
            }
        }
    }

    private static PungiException? Translate(Exception ex, string path) => ex switch
    {
        PungiException => null,
        XmlException x => new PungiException(ErrorCodes.RepodataMalformed, $"{Path.GetFileName(path)} is not well-formed XML: {x.Message}", path, x.LineNumber, x.LinePosition, x),
        InvalidDataException or EndOfStreamException or SharpCompress.Common.SharpCompressException or ZstdSharp.ZstdException
            => new PungiException(ErrorCodes.CompressionFailed, $"{Path.GetFileName(path)} cannot be decompressed: {ex.Message}", path, inner: ex),
        IOException or UnauthorizedAccessException => new PungiException(ErrorCodes.RepodataFileMissing, $"Cannot read {Path.GetFileName(path)}: {ex.Message}", path, inner: ex),
        _ => null,
    };

    private static IEnumerable<(RpmPackage Package, List<PackageFile> Files)> ParsePrimary(string path)
    {
        using var stream = Compressor.OpenRead(path);
        using var r = XmlReader.Create(stream, Settings, path);
        while (r.Read())
        {
            if (r.NodeType == XmlNodeType.Element && r.Depth == 1 && r.LocalName == "package")
                yield return PrimaryPackage(r, path);
        }
    }

    private static (RpmPackage, List<PackageFile>) PrimaryPackage(XmlReader r, string path)
    {
        var li = (IXmlLineInfo)r;
        int line = li.LineNumber, col = li.LinePosition;
        string? name = null, arch = null, epoch = null, ver = null, rel = null, checksum = null, checksumType = null;
        string summary = "", description = "", packager = "", url = "", license = "", vendor = "", group = "", buildhost = "", sourcerpm = "", href = "";
        long fileTime = 0, buildTime = 0, sizePackage = 0, sizeInstalled = 0, sizeArchive = 0, hdrStart = 0, hdrEnd = 0;
        var deps = new Dictionary<string, List<Dependency>>(StringComparer.Ordinal);
        var files = new List<PackageFile>();
        int depth = r.Depth;
        if (!r.IsEmptyElement)
        {
            r.Read();
            while (!(r.NodeType == XmlNodeType.EndElement && r.Depth == depth) && !r.EOF)
            {
                if (r.NodeType != XmlNodeType.Element) { r.Read(); continue; }
                switch (r.LocalName)
                {
                    case "name": name = r.ReadElementContentAsString(); break;
                    case "arch": arch = r.ReadElementContentAsString(); break;
                    case "version":
                        epoch = r.GetAttribute("epoch"); ver = r.GetAttribute("ver"); rel = r.GetAttribute("rel"); r.Skip(); break;
                    case "checksum": checksumType = r.GetAttribute("type"); checksum = r.ReadElementContentAsString().Trim(); break;
                    case "summary": summary = r.ReadElementContentAsString(); break;
                    case "description": description = r.ReadElementContentAsString(); break;
                    case "packager": packager = r.ReadElementContentAsString(); break;
                    case "url": url = r.ReadElementContentAsString(); break;
                    case "time": fileTime = Long(r, "file"); buildTime = Long(r, "build"); r.Skip(); break;
                    case "size": sizePackage = Long(r, "package"); sizeInstalled = Long(r, "installed"); sizeArchive = Long(r, "archive"); r.Skip(); break;
                    case "location": href = r.GetAttribute("href") ?? ""; r.Skip(); break;
                    case "format": if (r.IsEmptyElement) r.Skip(); else r.Read(); break;
                    case "license": license = r.ReadElementContentAsString(); break;
                    case "vendor": vendor = r.ReadElementContentAsString(); break;
                    case "group": group = r.ReadElementContentAsString(); break;
                    case "buildhost": buildhost = r.ReadElementContentAsString(); break;
                    case "sourcerpm": sourcerpm = r.ReadElementContentAsString(); break;
                    case "header-range": hdrStart = Long(r, "start"); hdrEnd = Long(r, "end"); r.Skip(); break;
                    case "provides" or "requires" or "conflicts" or "obsoletes" or "suggests" or "enhances" or "recommends" or "supplements":
                        deps[r.LocalName] = Dependencies(r); break;
                    case "file": files.Add(FileEntry(r)); break;
                    default: r.Skip(); break;
                }
            }
        }
        if (name is null || arch is null || ver is null || rel is null || string.IsNullOrEmpty(checksum))
            throw new PungiException(ErrorCodes.RepodataMalformed, "A primary <package> lacks its name, arch, version or checksum.", path, line, col);
        var pkg = new RpmPackage
        {
            Name = name, Arch = arch, Epoch = epoch, Version = ver, Release = rel,
            Summary = summary, Description = description, Packager = packager, Url = url, License = license, Vendor = vendor,
            Group = group, BuildHost = buildhost, SourceRpm = sourcerpm, BuildTime = buildTime, FileTime = fileTime,
            PackageSize = sizePackage, InstalledSize = sizeInstalled, ArchiveSize = sizeArchive, HeaderStart = hdrStart, HeaderEnd = hdrEnd,
            Provides = Get("provides"), Requires = Get("requires"), Conflicts = Get("conflicts"), Obsoletes = Get("obsoletes"),
            Suggests = Get("suggests"), Enhances = Get("enhances"), Recommends = Get("recommends"), Supplements = Get("supplements"),
            Location = href, Checksum = checksum, ChecksumType = checksumType ?? RepodataChecksum.Default, Files = files,
        };
        return (pkg, files);

        IReadOnlyList<Dependency> Get(string k) => deps.TryGetValue(k, out var l) ? l : [];
    }

    private static long Long(XmlReader r, string attr)
    {
        var s = r.GetAttribute(attr);
        if (s is null) return 0;
        return long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) ? v
            : throw Malformed(r.BaseURI, r, $"{r.LocalName} {attr}='{s}' is not a number");
    }

    private static List<Dependency> Dependencies(XmlReader r)
    {
        var list = new List<Dependency>();
        if (r.IsEmptyElement) { r.Skip(); return list; }
        int depth = r.Depth;
        r.Read();
        while (!(r.NodeType == XmlNodeType.EndElement && r.Depth == depth) && !r.EOF)
        {
            if (r.NodeType == XmlNodeType.Element && r.LocalName == "entry")
            {
                list.Add(Entry(r));
                r.Skip();
            }
            else if (r.NodeType == XmlNodeType.Element) r.Skip();
            else r.Read();
        }
        r.Read(); // past the list's end tag
        return list;
    }

    /// <summary>An <c>rpm:entry</c> back into header form: sense bits, <c>[epoch:]ver[-rel]</c>, PREREQ for <c>pre="1"</c>.</summary>
    internal static Dependency Entry(XmlReader r)
    {
        string name = r.GetAttribute("name") ?? "";
        var flags = r.GetAttribute("flags") switch
        {
            "LT" => DependencyFlags.Less,
            "GT" => DependencyFlags.Greater,
            "EQ" => DependencyFlags.Equal,
            "LE" => DependencyFlags.Less | DependencyFlags.Equal,
            "GE" => DependencyFlags.Greater | DependencyFlags.Equal,
            _ => DependencyFlags.None,
        };
        if (r.GetAttribute("pre") is "1" or "true") flags |= DependencyFlags.PreReq;
        string? epoch = r.GetAttribute("epoch"), ver = r.GetAttribute("ver"), rel = r.GetAttribute("rel");
        string? version = null;
        if (ver is not null || rel is not null)
            version = (string.IsNullOrEmpty(epoch) || epoch == "0" ? "" : epoch + ":") + ver + (rel is null ? "" : "-" + rel);
        return new Dependency(name, flags, version);
    }

    private static PackageFile FileEntry(XmlReader r)
    {
        var type = r.GetAttribute("type") switch
        {
            "dir" => PackageFileType.Dir,
            "ghost" => PackageFileType.Ghost,
            _ => PackageFileType.File,
        };
        return new PackageFile(r.ReadElementContentAsString(), type);
    }

    private static IEnumerable<(string PkgId, List<PackageFile> Files)> ParseFilelists(string path)
    {
        using var stream = Compressor.OpenRead(path);
        using var r = XmlReader.Create(stream, Settings, path);
        while (r.Read())
        {
            if (r.NodeType != XmlNodeType.Element || r.Depth != 1 || r.LocalName != "package") continue;
            string id = r.GetAttribute("pkgid") ?? "";
            var files = new List<PackageFile>();
            if (!r.IsEmptyElement)
            {
                int depth = r.Depth;
                r.Read();
                while (!(r.NodeType == XmlNodeType.EndElement && r.Depth == depth) && !r.EOF)
                {
                    if (r.NodeType == XmlNodeType.Element && r.LocalName == "file") files.Add(FileEntry(r));
                    else if (r.NodeType == XmlNodeType.Element) r.Skip();
                    else r.Read();
                }
            }
            yield return (id, files);
        }
    }

    private static IEnumerable<(string PkgId, List<ChangelogEntry> Changelogs)> ParseOther(string path)
    {
        using var stream = Compressor.OpenRead(path);
        using var r = XmlReader.Create(stream, Settings, path);
        while (r.Read())
        {
            if (r.NodeType != XmlNodeType.Element || r.Depth != 1 || r.LocalName != "package") continue;
            string id = r.GetAttribute("pkgid") ?? "";
            var logs = new List<ChangelogEntry>();
            if (!r.IsEmptyElement)
            {
                int depth = r.Depth;
                r.Read();
                while (!(r.NodeType == XmlNodeType.EndElement && r.Depth == depth) && !r.EOF)
                {
                    if (r.NodeType == XmlNodeType.Element && r.LocalName == "changelog")
                    {
                        string author = r.GetAttribute("author") ?? "";
                        long date = Long(r, "date");
                        logs.Add(new ChangelogEntry(author, date, r.ReadElementContentAsString()));
                    }
                    else if (r.NodeType == XmlNodeType.Element) r.Skip();
                    else r.Read();
                }
            }
            yield return (id, logs);
        }
    }

    /// <summary>
    /// A second file read in step with primary: <see cref="Take"/> advances to the wanted pkgid, keeping any it
    /// passes for later, so files in primary's order cost nothing and files in another order still join.
    /// </summary>
    private sealed class Joined<T>(IEnumerable<(string PkgId, T Value)> source) : IDisposable where T : class
    {
        private readonly IEnumerator<(string PkgId, T Value)> _e = source.GetEnumerator();
        private readonly Dictionary<string, Queue<T>> _pending = new(StringComparer.Ordinal);
        private bool _done;

        public T? Take(string pkgId)
        {
            if (_pending.TryGetValue(pkgId, out var q))
            {
                var v = q.Dequeue();
                if (q.Count == 0) _pending.Remove(pkgId);
                return v;
            }
            while (!_done && _e.MoveNext())
            {
                var (id, value) = _e.Current;
                if (id == pkgId) return value;
                if (!_pending.TryGetValue(id, out q)) _pending[id] = q = new Queue<T>();
                q.Enqueue(value);
            }
            _done = true;
            return null;
        }

        public void Dispose() => _e.Dispose();
    }
}
