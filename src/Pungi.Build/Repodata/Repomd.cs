using System.Globalization;
using System.Text;

namespace Pungi.Build.Repodata;

/// <summary>One <c>&lt;data type="…"&gt;</c> record of repomd.xml.</summary>
public sealed record RepomdRecord
{
    /// <summary><c>primary</c>, <c>filelists</c>, <c>other</c>, <c>primary_db</c>, <c>group</c>, <c>group_gz</c>, <c>modules</c>, …</summary>
    public required string Type { get; init; }
    /// <summary>The <c>location href</c>, relative to the repository root (<c>repodata/…</c>).</summary>
    public required string Location { get; init; }
    public required string Checksum { get; init; }
    public string ChecksumType { get; init; } = RepodataChecksum.Default;
    public string? OpenChecksum { get; init; }
    public string? OpenChecksumType { get; init; }
    public long? Timestamp { get; init; }
    public long? Size { get; init; }
    public long? OpenSize { get; init; }
    /// <summary><c>database_version</c> of sqlite records (10 for createrepo_c's schema).</summary>
    public int? DatabaseVersion { get; init; }
}

/// <summary>repomd.xml: the revision and the records, in file order.</summary>
public sealed record Repomd(string Revision, IReadOnlyList<RepomdRecord> Records)
{
    /// <summary>The first record of a type, or null.</summary>
    public RepomdRecord? Find(string type) => Records.FirstOrDefault(r => r.Type == type);

    /// <summary>repomd.xml exactly as createrepo_c writes it (libxml2 formatting, trailing newline).</summary>
    public string ToXml()
    {
        var sb = new StringBuilder();
        var x = new RepoXmlText(new StringWriter(sb, CultureInfo.InvariantCulture) { NewLine = "\n" });
        x.Raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x.Raw("<repomd xmlns=\"http://linux.duke.edu/metadata/repo\" xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\">\n");
        x.TextElement(1, "revision", Revision);
        foreach (var r in Records)
        {
            x.Start(1, "data"); x.Attr("type", r.Type); x.EndOpen();
            x.Start(2, "checksum"); x.Attr("type", r.ChecksumType); x.EndOpen(newline: false); x.Text(r.Checksum); x.Raw("</checksum>\n");
            if (r.OpenChecksum is not null)
            {
                x.Start(2, "open-checksum"); x.Attr("type", r.OpenChecksumType ?? r.ChecksumType); x.EndOpen(newline: false);
                x.Text(r.OpenChecksum); x.Raw("</open-checksum>\n");
            }
            x.Start(2, "location"); x.Attr("href", r.Location); x.EndEmpty();
            if (r.Timestamp is { } ts) x.TextElement(2, "timestamp", ts.ToString(CultureInfo.InvariantCulture));
            if (r.Size is { } size) x.TextElement(2, "size", size.ToString(CultureInfo.InvariantCulture));
            if (r.OpenSize is { } osize) x.TextElement(2, "open-size", osize.ToString(CultureInfo.InvariantCulture));
            if (r.DatabaseVersion is { } dbv) x.TextElement(2, "database_version", dbv.ToString(CultureInfo.InvariantCulture));
            x.Close(1, "data");
        }
        x.Raw("</repomd>\n");
        x.Writer.Flush();
        return sb.ToString();
    }
}
