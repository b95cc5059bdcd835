using Pungi.Build.Rpm;

namespace Pungi.Build.Repodata;

/// <summary>
/// One package's elements in primary.xml, filelists.xml and other.xml, in createrepo_c's element and attribute
/// order (<c>src/xml_dump_primary.c</c>, <c>xml_dump_filelists.c</c>, <c>xml_dump_other.c</c>).
/// </summary>
internal static class PackageXml
{
    /// <summary>createrepo_c labels <c>.src</c> and <c>.nosrc</c> packages alike as <c>src</c>.</summary>
    public static string RepoArch(RpmPackage p) => p.Arch == "nosrc" ? "src" : p.Arch;

    public static string RepoEpoch(RpmPackage p) => string.IsNullOrEmpty(p.Epoch) ? "0" : p.Epoch;

    public static void WritePrimary(RepoXmlText x, RpmPackage p, RepoDependencies deps, string? baseUrl = null)
    {
        x.Raw("<package type=\"rpm\">\n");
        x.TextElement(1, "name", p.Name);
        x.TextElement(1, "arch", RepoArch(p));
        Version(x, p);
        x.Start(1, "checksum"); x.Attr("type", p.ChecksumType); x.Attr("pkgid", "YES"); x.EndOpen(newline: false);
        x.Text(p.Checksum); x.Raw("</checksum>\n");
        x.TextElement(1, "summary", p.Summary);
        x.TextElement(1, "description", p.Description);
        x.TextElement(1, "packager", p.Packager);
        x.TextElement(1, "url", p.Url);
        x.Start(1, "time"); x.Attr("file", p.FileTime); x.Attr("build", p.BuildTime); x.EndEmpty();
        x.Start(1, "size"); x.Attr("package", p.PackageSize); x.Attr("installed", p.InstalledSize); x.Attr("archive", p.ArchiveSize); x.EndEmpty();
        x.Start(1, "location");
        // createrepo_c writes xml:base before href.
        if (!string.IsNullOrEmpty(baseUrl)) x.Attr("xml:base", baseUrl);
        x.Attr("href", p.Location); x.EndEmpty();
        x.Raw("  <format>\n");
        x.TextElement(2, "rpm:license", p.License);
        x.TextElement(2, "rpm:vendor", p.Vendor);
        x.TextElement(2, "rpm:group", p.Group);
        x.TextElement(2, "rpm:buildhost", p.BuildHost);
        x.TextElement(2, "rpm:sourcerpm", p.SourceRpm);
        x.Start(2, "rpm:header-range"); x.Attr("start", p.HeaderStart); x.Attr("end", p.HeaderEnd); x.EndEmpty();
        DependencyList(x, "rpm:provides", deps.Provides);
        DependencyList(x, "rpm:requires", deps.Requires);
        DependencyList(x, "rpm:conflicts", deps.Conflicts);
        DependencyList(x, "rpm:obsoletes", deps.Obsoletes);
        DependencyList(x, "rpm:suggests", deps.Suggests);
        DependencyList(x, "rpm:enhances", deps.Enhances);
        DependencyList(x, "rpm:recommends", deps.Recommends);
        DependencyList(x, "rpm:supplements", deps.Supplements);
        foreach (var f in p.Files)
            if (CreaterepoRules.IsPrimaryFile(f.Path)) File(x, f, 2);
        x.Raw("  </format>\n</package>\n");
    }

    public static void WriteFilelists(RepoXmlText x, RpmPackage p)
    {
        PackageStart(x, p);
        foreach (var f in p.Files) File(x, f, 1);
        x.Raw("</package>\n");
    }

    public static void WriteOther(RepoXmlText x, RpmPackage p, List<ChangelogEntry> changelogs)
    {
        PackageStart(x, p);
        foreach (var c in changelogs)
        {
            x.Start(1, "changelog"); x.Attr("author", c.Author); x.Attr("date", c.Date); x.EndOpen(newline: false);
            x.Text(c.Text); x.Raw("</changelog>\n");
        }
        x.Raw("</package>\n");
    }

    private static void PackageStart(RepoXmlText x, RpmPackage p)
    {
        x.Start(0, "package"); x.Attr("pkgid", p.Checksum); x.Attr("name", p.Name); x.Attr("arch", RepoArch(p)); x.EndOpen();
        Version(x, p);
    }

    private static void Version(RepoXmlText x, RpmPackage p)
    {
        x.Start(1, "version"); x.Attr("epoch", RepoEpoch(p)); x.Attr("ver", p.Version); x.Attr("rel", p.Release); x.EndEmpty();
    }

    private static void File(RepoXmlText x, PackageFile f, int level)
    {
        x.Start(level, "file");
        if (f.Type == PackageFileType.Dir) x.Attr("type", "dir");
        else if (f.Type == PackageFileType.Ghost) x.Attr("type", "ghost");
        x.EndOpen(newline: false);
        x.Text(f.Path);
        x.Raw("</file>\n");
    }

    private static void DependencyList(RepoXmlText x, string element, List<RepoDependency> deps)
    {
        if (deps.Count == 0) return;
        // An element whose entries all have empty names is still written (empty), as libxml2 does.
        bool any = deps.Exists(d => d.Name.Length > 0);
        x.Start(2, element);
        if (!any) { x.EndEmpty(); return; }
        x.EndOpen();
        foreach (var d in deps)
        {
            if (d.Name.Length == 0) continue;
            x.Start(3, "rpm:entry");
            x.Attr("name", d.Name);
            if (!string.IsNullOrEmpty(d.Flags))
            {
                x.Attr("flags", d.Flags);
                if (!string.IsNullOrEmpty(d.Epoch)) x.Attr("epoch", d.Epoch);
                if (!string.IsNullOrEmpty(d.Version)) x.Attr("ver", d.Version);
                if (!string.IsNullOrEmpty(d.Release)) x.Attr("rel", d.Release);
            }
            if (d.Pre) x.Attr("pre", "1");
            x.EndEmpty();
        }
        x.Close(2, element);
    }
}
