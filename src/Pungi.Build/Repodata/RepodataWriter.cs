using System.Globalization;
using Pungi.Build.Compression;
using Pungi.Build.Diagnostics;
using Pungi.Build.Rpm;

namespace Pungi.Build.Repodata;

/// <summary>
/// Writes native repodata (repomd.xml, primary, filelists, other, optional group file and sqlite databases) that
/// dnf, createrepo_c and mergerepo_c read as their own: createrepo_c 0.17's XML shape and header rules
/// (<see cref="CreaterepoRules"/>), streamed package by package, each file hashed compressed and open in one pass.
/// Reproducible: the same packages and options give byte-identical files. Atomic: new files get their final
/// (checksum-prefixed) names only when complete, repomd.xml is replaced by a rename, and only then are the files
/// the previous repomd.xml listed removed — a failure leaves the previous repodata readable.
/// </summary>
public static class RepodataWriter
{
    /// <summary>
    /// Writes <c><paramref name="repoDir"/>/repodata/</c> for the packages (their <see cref="RpmPackage.Location"/>
    /// relative to <paramref name="repoDir"/>, their <see cref="RpmPackage.Checksum"/> the pkgid).
    /// </summary>
    public static RepodataResult Write(string repoDir, IEnumerable<RpmPackage> packages, RepodataOptions? options = null)
    {
        options ??= new RepodataOptions();
        string checksumType = RepodataChecksum.Normalize(options.ChecksumType);
        long timestamp = options.Timestamp ?? SourceDateEpoch() ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string revision = string.IsNullOrEmpty(options.Revision) ? timestamp.ToString(CultureInfo.InvariantCulture) : options.Revision;
        if (options.GroupFile is { } gf && !File.Exists(gf))
            throw new PungiException(ErrorCodes.GroupFileMissing, $"The comps group file '{gf}' does not exist.", gf);

        string repodata = Path.Combine(repoDir, "repodata");
        try
        {
            Directory.CreateDirectory(repodata);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PungiException(ErrorCodes.RepodataWriteFailed, $"Cannot create the repodata directory: {e.Message}", repodata, inner: e);
        }

        // The header's packages="N" comes first, so the count must be known before streaming starts: a collection
        // is used as it is, anything else is listed once (the package objects, never the XML).
        IReadOnlyCollection<RpmPackage> list = packages as IReadOnlyCollection<RpmPackage> ?? packages.ToList();
        if (options.SortByFileName)
        {
            // createrepo_c sorts its task list by file name (strcmp); a stable sort keeps equal names in input order.
            list = list.OrderBy(p => Path.GetFileName(p.Location), StringComparer.Ordinal).ToList();
        }
        int count = list.Count;

        var previous = TryReadPrevious(repodata);
        var temps = new List<string>();
        try
        {
            var records = new List<RepomdRecord>();
            using (var primary = new MetadataFile(repodata, "primary", options, checksumType, temps))
            using (var filelists = new MetadataFile(repodata, "filelists", options, checksumType, temps))
            using (var other = new MetadataFile(repodata, "other", options, checksumType, temps))
            using (var db = options.Database ? new RepodataSqlite(repodata, temps) : null)
            {
                primary.Xml.Raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
                primary.Xml.Raw($"<metadata xmlns=\"http://linux.duke.edu/metadata/common\" xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\" packages=\"{count}\">\n");
                filelists.Xml.Raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
                filelists.Xml.Raw($"<filelists xmlns=\"http://linux.duke.edu/metadata/filelists\" packages=\"{count}\">\n");
                other.Xml.Raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
                other.Xml.Raw($"<otherdata xmlns=\"http://linux.duke.edu/metadata/other\" packages=\"{count}\">\n");

                foreach (var pkg in list)
                {
                    if (string.IsNullOrEmpty(pkg.Checksum))
                        throw new PungiException(ErrorCodes.PackageChecksumMissing,
                            $"Package {pkg.Nevra} ({pkg.Location}) has no checksum; repodata needs one as its pkgid.");
                    var deps = CreaterepoRules.Dependencies(pkg);
                    var changelogs = CreaterepoRules.Changelogs(pkg.Changelogs, options.ChangelogLimit);
                    PackageXml.WritePrimary(primary.Xml, pkg, deps, options.BaseUrl);
                    PackageXml.WriteFilelists(filelists.Xml, pkg);
                    PackageXml.WriteOther(other.Xml, pkg, changelogs);
                    db?.Add(pkg, deps, changelogs, options.BaseUrl);
                }
                primary.Xml.Raw("</metadata>");
                filelists.Xml.Raw("</filelists>");
                other.Xml.Raw("</otherdata>");

                records.Add(primary.Finish(timestamp));
                records.Add(filelists.Finish(timestamp));
                records.Add(other.Finish(timestamp));
                if (db is not null)
                    records.AddRange(db.Finish(records[0].Checksum, records[1].Checksum, records[2].Checksum, options, checksumType, timestamp));
            }
            if (options.GroupFile is { } group)
                records.AddRange(GroupRecords(repodata, group, options, checksumType, timestamp, temps));

            var repomd = new Repomd(revision, records);
            string repomdPath = Path.Combine(repodata, "repomd.xml");
            string tmp = Path.Combine(repodata, $".repomd.xml.{Guid.NewGuid():N}.tmp");
            temps.Add(tmp);
            File.WriteAllText(tmp, repomd.ToXml(), RepoXmlText.Utf8);
            File.Move(tmp, repomdPath, overwrite: true);
            temps.Clear();

            RemoveSuperseded(repoDir, previous, repomd);
            return new RepodataResult(repomdPath, repomd, count);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PungiException(ErrorCodes.RepodataWriteFailed, $"Cannot write repodata: {e.Message}", repodata, inner: e);
        }
        finally
        {
            foreach (var t in temps)
            {
                try { File.Delete(t); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }
    }

    /// <summary>
    /// Gives <paramref name="repoDir"/> the repodata of <paramref name="sourceRepoDir"/> as it is: what <see cref="Write"/>
    /// would write there when both hold the same packages (same locations) with the same options, since the output is
    /// reproducible. Same atomicity as <see cref="Write"/>: the files first, repomd.xml by a rename, then the old files go.
    /// </summary>
    public static RepodataResult CopyFrom(string sourceRepoDir, string repoDir, int packageCount)
    {
        string repodata = Path.Combine(repoDir, "repodata");
        var temps = new List<string>();
        try
        {
            var source = RepodataReader.ReadRepomd(sourceRepoDir);
            Directory.CreateDirectory(repodata);
            var previous = TryReadPrevious(repodata);
            foreach (var r in source.Records)
            {
                string tmp = Path.Combine(repodata, $".{Path.GetFileName(r.Location)}.{Guid.NewGuid():N}.tmp");
                temps.Add(tmp);
                File.Copy(Path.Combine(sourceRepoDir, r.Location), tmp, overwrite: true);
                File.Move(tmp, Path.Combine(repoDir, r.Location), overwrite: true);
            }
            string repomdPath = Path.Combine(repodata, "repomd.xml");
            string repomdTmp = Path.Combine(repodata, $".repomd.xml.{Guid.NewGuid():N}.tmp");
            temps.Add(repomdTmp);
            File.Copy(Path.Combine(sourceRepoDir, "repodata", "repomd.xml"), repomdTmp, overwrite: true);
            File.Move(repomdTmp, repomdPath, overwrite: true);
            temps.Clear();
            RemoveSuperseded(repoDir, previous, source);
            return new RepodataResult(repomdPath, source, packageCount);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PungiException(ErrorCodes.RepodataWriteFailed, $"Cannot write repodata: {e.Message}", repodata, inner: e);
        }
        finally
        {
            foreach (var t in temps)
            {
                try { File.Delete(t); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }
    }

    /// <summary>SOURCE_DATE_EPOCH as a Unix time, null when unset; PUNGI4012 when not a number.</summary>
    internal static long? SourceDateEpoch()
    {
        var v = Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH");
        if (string.IsNullOrWhiteSpace(v)) return null;
        if (long.TryParse(v.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long t)) return t;
        throw new PungiException(ErrorCodes.InvalidSourceDateEpoch, $"SOURCE_DATE_EPOCH='{v}' is not a Unix time in whole seconds.");
    }

    /// <summary>The final name of a metadata file: <c>&lt;checksum&gt;-&lt;name&gt;</c> with unique names, else the name.</summary>
    internal static string FinalName(string baseName, string checksum, bool unique) => unique ? $"{checksum}-{baseName}" : baseName;

    private static IEnumerable<RepomdRecord> GroupRecords(string repodata, string groupFile, RepodataOptions options, string checksumType,
        long timestamp, List<string> temps)
    {
        string baseName = Path.GetFileName(groupFile);
        string rawChecksum = RepodataChecksum.OfFile(groupFile, checksumType);
        long rawSize = new FileInfo(groupFile).Length;
        string rawName = FinalName(baseName, rawChecksum, options.UniqueMdFilenames);
        string rawTmp = Path.Combine(repodata, $".{baseName}.{Guid.NewGuid():N}.tmp");
        temps.Add(rawTmp);
        File.Copy(groupFile, rawTmp, overwrite: true);
        File.Move(rawTmp, Path.Combine(repodata, rawName), overwrite: true);
        yield return new RepomdRecord
        {
            Type = "group", Location = "repodata/" + rawName, Checksum = rawChecksum, ChecksumType = checksumType,
            Timestamp = timestamp, Size = rawSize,
        };
        if (options.Compression == CompressionKind.None) yield break;

        string suffix = Compressor.Suffix(options.Compression);
        string tmp = Path.Combine(repodata, $".{baseName}{suffix}.{Guid.NewGuid():N}.tmp");
        temps.Add(tmp);
        long size;
        string checksum;
        using (var file = new FileStream(tmp, FileMode.Create, FileAccess.Write))
        using (var hashed = new HashingWriteStream(file, checksumType, leaveOpen: true))
        {
            using (var compressed = Compressor.Compress(hashed, options.Compression, leaveOpen: true))
            using (var input = File.OpenRead(groupFile))
                input.CopyTo(compressed);
            checksum = hashed.HexDigest;
            size = hashed.BytesWritten;
        }
        string name = FinalName(baseName + suffix, checksum, options.UniqueMdFilenames);
        File.Move(tmp, Path.Combine(repodata, name), overwrite: true);
        yield return new RepomdRecord
        {
            Type = "group_" + suffix.TrimStart('.'), Location = "repodata/" + name, Checksum = checksum, ChecksumType = checksumType,
            OpenChecksum = rawChecksum, OpenChecksumType = checksumType, Timestamp = timestamp, Size = size, OpenSize = rawSize,
        };
    }

    private static Repomd? TryReadPrevious(string repodata)
    {
        try
        {
            return File.Exists(Path.Combine(repodata, "repomd.xml")) ? RepodataReader.ReadRepomd(Path.GetDirectoryName(repodata)!) : null;
        }
        catch (PungiException)
        {
            return null;
        }
    }

    // Files the old repomd.xml listed and the new one does not are garbage once the new repomd.xml is in place.
    private static void RemoveSuperseded(string repoDir, Repomd? previous, Repomd current)
    {
        if (previous is null) return;
        var keep = current.Records.Select(r => r.Location).ToHashSet(StringComparer.Ordinal);
        foreach (var r in previous.Records)
        {
            if (keep.Contains(r.Location) || !r.Location.StartsWith("repodata/", StringComparison.Ordinal) || r.Location.Contains("..", StringComparison.Ordinal))
                continue;
            try { File.Delete(Path.Combine(repoDir, r.Location)); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>One of primary/filelists/other: temp file ← hash (compressed) ← compressor ← hash (open) ← text.</summary>
    private sealed class MetadataFile : IDisposable
    {
        private readonly string _repodata, _type, _checksumType, _tmp;
        private readonly RepodataOptions _options;
        private readonly FileStream _file;
        private readonly HashingWriteStream _compressedHash;
        private readonly Stream _compressor;
        private readonly HashingWriteStream _openHash;
        private readonly StreamWriter _text;
        private bool _finished;

        public MetadataFile(string repodata, string type, RepodataOptions options, string checksumType, List<string> temps)
        {
            _repodata = repodata;
            _type = type;
            _options = options;
            _checksumType = checksumType;
            _tmp = Path.Combine(repodata, $".{type}.xml.{Guid.NewGuid():N}.tmp");
            temps.Add(_tmp);
            _file = new FileStream(_tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            _compressedHash = new HashingWriteStream(_file, checksumType, leaveOpen: true);
            _compressor = Compressor.Compress(_compressedHash, options.Compression, leaveOpen: true);
            _openHash = new HashingWriteStream(_compressor, checksumType, leaveOpen: true);
            _text = new StreamWriter(_openHash, RepoXmlText.Utf8, 1 << 16) { NewLine = "\n" };
            Xml = new RepoXmlText(_text);
        }

        public RepoXmlText Xml { get; }

        public RepomdRecord Finish(long timestamp)
        {
            _text.Flush();
            _compressor.Dispose();
            _finished = true;
            string openChecksum = _openHash.HexDigest, checksum = _compressedHash.HexDigest;
            long openSize = _openHash.BytesWritten, size = _compressedHash.BytesWritten;
            _file.Dispose();
            string name = FinalName($"{_type}.xml{Compressor.Suffix(_options.Compression)}", checksum, _options.UniqueMdFilenames);
            File.Move(_tmp, Path.Combine(_repodata, name), overwrite: true);
            return new RepomdRecord
            {
                Type = _type, Location = "repodata/" + name, Checksum = checksum, ChecksumType = _checksumType,
                OpenChecksum = openChecksum, OpenChecksumType = _checksumType, Timestamp = timestamp, Size = size, OpenSize = openSize,
            };
        }

        public void Dispose()
        {
            if (!_finished)
            {
                try { _compressor.Dispose(); } catch (IOException) { } catch (PungiException) { }
            }
            _openHash.Dispose();
            _compressedHash.Dispose();
            _file.Dispose();
        }
    }
}
