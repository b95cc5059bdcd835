using System.IO.Enumeration;
using System.Globalization;
using System.Net;
using System.Text;
using Pungi.Build.Compose;
using Pungi.Build.Metadata;

namespace Pungi.Build.Report;

/// <summary>Everything one report page shows.</summary>
public sealed class ReportModel
{
    public required string ComposeId { get; init; }
    public required string Status { get; init; }
    public required ComposeManifest Compose { get; init; }
    public IReadOnlyList<PhaseRecord> Phases { get; init; } = [];
    public ComposeDiff? Changes { get; init; }
    public string? PreviousCompose { get; init; }
    /// <summary>Why there is no change list (no previous compose found, or it could not be read).</summary>
    public string? ChangesNote { get; init; }
    /// <summary>Change rows listed per variant.arch; the rest are counted (the page stays small for 20,000 packages).</summary>
    public int MaxRowsPerVariantArch { get; init; } = 200;
    /// <summary>
    /// Bytes of trees already summed in this build (full path of the tree → bytes, see <see cref="ReportHtml.TreeBytes"/>);
    /// a tree not in it is walked.
    /// </summary>
    public IReadOnlyDictionary<string, long>? TreeBytes { get; init; }
}

/// <summary>
/// <c>compose/metadata/report.html</c> (issue #15): one self-contained page (inline CSS and SVG, no scripts, fonts or
/// network) with the compose ID and STATUS, per variant.arch package counts, tree and ISO sizes and links, an SVG
/// timeline of the phase records with the critical path marked, the coded warnings and errors, and the change list
/// against the previous compose. Written as a stream; change tables are capped so the page stays well under 1 MB.
/// </summary>
public static class ReportHtml
{
    private const string Css = """
        body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
        h1{font-size:1.5em;margin:0}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ccc}
        table{border-collapse:collapse;margin:.5em 0}td,th{padding:2px 8px;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
        td.n{text-align:right;font-variant-numeric:tabular-nums}
        .status{display:inline-block;padding:2px 8px;border-radius:3px;color:#fff;background:#777;font-weight:bold}
        .status.FINISHED{background:#2a7d2a}.status.DOOMED,.status.TERMINATED{background:#b22}.status.FINISHED_INCOMPLETE{background:#c80}
        .added{color:#1a6e1a}.removed{color:#b22}.upgraded{color:#1d4f91}.downgraded{color:#a35c00}.note{color:#666;font-style:italic}
        .error{color:#b22}.warning{color:#a35c00}
        svg text{font:11px system-ui,sans-serif}svg .bar{fill:#6a9fd4}svg .bar.critical{fill:#d9534f}svg .bar.earlier{fill:#ccc}
        svg .bar.failed{stroke:#000;stroke-width:2}svg .grid{stroke:#ddd}
        """;

    public static void Write(TextWriter w, ReportModel m)
    {
        w.Write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>");
        w.Write(E($"Compose report {m.ComposeId}"));
        w.Write("</title><style>");
        w.Write(Css);
        w.Write("</style></head><body>\n");
        w.Write($"<h1 id=\"compose-id\">{E(m.ComposeId)}</h1>\n<p>STATUS <span id=\"status\" class=\"status {E(m.Status)}\">{E(m.Status)}</span></p>\n");
        WriteVariants(w, m);
        WriteTimeline(w, m.Phases);
        WriteDiagnostics(w, m.Phases);
        WriteChanges(w, m);
        w.Write("</body></html>\n");
    }

    /// <summary>Writes the page only when its content changed (later targets stay up to date).</summary>
    public static bool WriteFile(string path, ReportModel m)
        => AtomicFile.WriteIfChanged(path, stream =>
        {
            using var sw = new StreamWriter(stream, new UTF8Encoding(false), 65536, leaveOpen: true);
            Write(sw, m);
        });

    private static void WriteVariants(TextWriter w, ReportModel m)
    {
        var c = m.Compose;
        var keys = new SortedSet<string>(c.Counts.Keys, StringComparer.Ordinal);
        keys.UnionWith(c.Images.Keys);
        keys.UnionWith(c.Paths.Keys.Where(k => !k.EndsWith(".src", StringComparison.Ordinal)));
        w.Write("<h2>Variants</h2>\n<table id=\"variants\"><tr><th>variant.arch</th><th>binary</th><th>debug</th><th>source</th><th>tree</th><th>ISOs</th><th>repositories and images</th></tr>\n");
        foreach (var key in keys)
        {
            var counts = c.Counts.GetValueOrDefault(key) ?? CategoryCounts.None;
            var images = c.Images.GetValueOrDefault(key) ?? [];
            var paths = c.Paths.GetValueOrDefault(key);
            long tree = 0;
            if (paths is not null && paths.TryGetValue("os_tree", out var os))
            {
                var dir = Path.GetFullPath(Path.Combine(c.ComposeDir, os));
                tree = m.TreeBytes is not null && m.TreeBytes.TryGetValue(Path.TrimEndingDirectorySeparator(dir), out var known) ? known : TreeBytes(dir);
            }
            w.Write($"<tr data-variant-arch=\"{E(key)}\"><td>{E(key)}</td>");
            foreach (var category in new[] { "binary", "debug", "source" })
                w.Write($"<td class=\"n\">{counts.Of(category)}</td>");
            w.Write($"<td class=\"n\">{DiffWriter.Size(tree)}</td><td class=\"n\">{DiffWriter.Size(images.Where(i => i.Format == "iso").Sum(i => i.Size))}</td><td>");
            var links = new List<string>();
            if (paths is not null)
                foreach (var (category, label) in new[] { ("repository", "repo"), ("debug_repository", "debug repo"), ("source_repository", "source repo") })
                    if (paths.TryGetValue(category, out var rel))
                        links.Add($"<a href=\"../{E(Href(rel))}/\">{label}</a>");
            foreach (var image in images)
                links.Add($"<a href=\"../{E(Href(image.Path))}\">{E(Path.GetFileName(image.Path))}</a>");
            w.Write(string.Join(" · ", links));
            w.Write("</td></tr>\n");
        }
        w.Write("</table>\n");
    }

    /// <summary>
    /// Bytes of the files under a tree, streamed (hard links are counted at each name, as <c>du -l</c>). Each size is
    /// read off the directory entry's stat without a FileInfo per file (a 20,000-package tree has as many files).
    /// </summary>
    public static long TreeBytes(string dir)
    {
        if (!Directory.Exists(dir)) return 0;
        long total = 0;
        var files = new FileSystemEnumerable<long>(dir, (ref FileSystemEntry e) => e.Length,
            new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true })
        {
            ShouldIncludePredicate = (ref FileSystemEntry e) => !e.IsDirectory,
        };
        foreach (var length in files)
            total += length;
        return total;
    }

    private static string Href(string relative)
        => string.Join('/', relative.Split('/').Select(Uri.EscapeDataString));

    private static void WriteTimeline(TextWriter w, IReadOnlyList<PhaseRecord> records)
    {
        w.Write("<h2>Timeline</h2>\n");
        if (records.Count == 0)
        {
            w.Write("<p class=\"note\">No phase records under logs/global/phases/.</p>\n");
            return;
        }
        // This run's records set the scale; earlier runs' records (phases up to date this time) are listed, greyed, at 0.
        var thisRun = records.Where(r => r.ThisRun).ToList();
        var origin = (thisRun.Count > 0 ? thisRun : records).Min(r => r.Start);
        var end = (thisRun.Count > 0 ? thisRun : records).Max(r => r.End);
        double span = Math.Max((end - origin).TotalSeconds, 0.001);
        const int label = 290, width = 640, row = 16, top = 18;
        int height = top + records.Count * row + 6;
        w.Write(FormattableString.Invariant($"<svg id=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{label + width + 60}\" height=\"{height}\" role=\"img\" aria-label=\"phase timeline\">\n"));
        for (int t = 0; t <= 4; t++)
        {
            double x = label + width * t / 4.0;
            w.Write(FormattableString.Invariant($"<line class=\"grid\" x1=\"{x:0.#}\" y1=\"{top - 4}\" x2=\"{x:0.#}\" y2=\"{height}\"/><text x=\"{x:0.#}\" y=\"11\">{span * t / 4:0.##}s</text>\n"));
        }
        int i = 0;
        foreach (var r in records)
        {
            double y = top + i++ * row;
            double x0 = r.ThisRun ? (r.Start - origin).TotalSeconds / span * width : 0;
            double bw = r.ThisRun ? Math.Max(r.Seconds / span * width, 1.5) : Math.Max(Math.Min(r.Seconds / span * width, width), 1.5);
            var cls = "bar" + (r.Critical ? " critical" : "") + (r.ThisRun ? "" : " earlier") + (r.Succeeded ? "" : " failed");
            var what = r.ThisRun ? "" : " (earlier run: up to date this time)";
            w.Write(FormattableString.Invariant(
                $"<text x=\"2\" y=\"{y + 11:0.#}\">{E(r.Instance)}</text><rect class=\"{cls}\" x=\"{label + x0:0.##}\" y=\"{y + 2:0.#}\" width=\"{bw:0.##}\" height=\"{row - 4}\"><title>{E(r.Instance)}: {r.Seconds:0.###}s{(r.Critical ? ", critical path" : "")}{what}</title></rect>\n"));
        }
        w.Write("</svg>\n<p class=\"note\">Red bars: the critical path (each bar the latest to finish before the next one started). Grey: phases up to date this time, from an earlier run.</p>\n");
    }

    private static void WriteDiagnostics(TextWriter w, IReadOnlyList<PhaseRecord> records)
    {
        w.Write("<h2>Warnings and errors</h2>\n");
        var rows = records.SelectMany(r => r.Diagnostics.Select(d => (r, d))).ToList();
        int uncoded = records.Sum(r => Math.Max(0, r.Warnings - r.Diagnostics.Count(d => d.Severity == "warning")));
        if (rows.Count == 0)
        {
            w.Write(uncoded == 0 ? "<p id=\"diagnostics\">None.</p>\n" : $"<p id=\"diagnostics\">{uncoded} warning(s) without details in the records.</p>\n");
            return;
        }
        w.Write("<table id=\"diagnostics\"><tr><th>phase</th><th>code</th><th>message</th></tr>\n");
        foreach (var (r, d) in rows)
            w.Write($"<tr class=\"{E(d.Severity)}\"><td>{E(r.Instance)}</td><td>{E(d.Code)}</td><td>{E(d.Message)}{(d.File is null ? "" : $" <span class=\"note\">{E(d.File)}</span>")}</td></tr>\n");
        w.Write("</table>\n");
    }

    private static void WriteChanges(TextWriter w, ReportModel m)
    {
        w.Write("<h2>Changes</h2>\n");
        if (m.Changes is not { } diff)
        {
            w.Write($"<p id=\"changes\" class=\"note\">{E(m.ChangesNote ?? "No previous compose to compare with.")}</p>\n");
            return;
        }
        w.Write($"<p id=\"changes\">Since <b>{E(diff.OldId)}</b>{(m.PreviousCompose is null ? "" : $" <span class=\"note\">({E(m.PreviousCompose)})</span>")}: " +
                $"{diff.Total(PackageChangeKind.Added)} added, {diff.Total(PackageChangeKind.Removed)} removed, {diff.Total(PackageChangeKind.Upgraded)} upgraded, " +
                $"{diff.Total(PackageChangeKind.Downgraded)} downgraded, {diff.Total(PackageChangeKind.ArchChanged)} arch changed; images " +
                $"{diff.TotalImages(ImageChangeKind.Added)} added, {diff.TotalImages(ImageChangeKind.Removed)} removed, {diff.TotalImages(ImageChangeKind.Changed)} changed.</p>\n");
        foreach (var va in diff.VariantArches)
        {
            if (va.IsEmpty) continue;
            w.Write($"<h3>{E(va.VariantArch)}</h3>\n<p>{va.OldPackages} → {va.NewPackages} packages; ISOs and images {DiffWriter.Size(va.OldImageBytes)} → {DiffWriter.Size(va.NewImageBytes)} ({DiffWriter.Delta(va.NewImageBytes - va.OldImageBytes)})</p>\n");
            if (va.Packages.Count > 0)
            {
                w.Write($"<table class=\"changes\" data-variant-arch=\"{E(va.VariantArch)}\"><tr><th>change</th><th>category</th><th>old</th><th>new</th></tr>\n");
                foreach (var p in va.Packages.Take(m.MaxRowsPerVariantArch))
                {
                    var kind = DiffWriter.KindWord(p.Kind);
                    w.Write($"<tr class=\"change {kind}\"><td>{kind}</td><td>{E(p.Category)}</td><td>{E(p.Old?.Display ?? "")}</td><td>{E(p.New?.Display ?? "")}</td></tr>\n");
                }
                w.Write("</table>\n");
                if (va.Packages.Count > m.MaxRowsPerVariantArch)
                    w.Write($"<p class=\"note\">… and {va.Packages.Count - m.MaxRowsPerVariantArch} more changes in {E(va.VariantArch)} (pungi-build diff lists them all).</p>\n");
            }
            if (va.Images.Count > 0)
            {
                w.Write("<table class=\"image-changes\"><tr><th>image</th><th>change</th><th>size delta</th></tr>\n");
                foreach (var i in va.Images)
                    w.Write($"<tr class=\"{DiffWriter.ImageKindWord(i.Kind)}\"><td>{E((i.New ?? i.Old)!.Path)}</td><td>{DiffWriter.ImageKindWord(i.Kind)}</td><td class=\"n\">{DiffWriter.Delta(i.SizeDelta)}</td></tr>\n");
                w.Write("</table>\n");
            }
        }
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
