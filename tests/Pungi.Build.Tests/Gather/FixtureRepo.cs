using Xunit;
using System.IO.Compression;
using System.Xml.Linq;
using Pungi.Build.Gather;
using Pungi.Build.Rpm;

namespace Pungi.Build.Tests.Gather;

/// <summary>
/// A small test-only reader of the fixture repodata (primary + filelists) and comps, written apart from the compose's
/// Repodata/ and Comps/ readers: the upstream depsolver cases run on both (see GatherHarness.Reading), so a
/// depsolver answer cannot hide behind a reader that drops the same field the engine would need.
/// </summary>
internal static class FixtureRepo
{
    /// <summary>The 432 pungi-dummy packages as an arch's package set for the Gather phase (the compose's own repodata reader).</summary>
    public static readonly Lazy<List<PackageSetPackage>> DummyPackageSet = new(() =>
    {
        var repo = Path.Combine(Repos, "repo");
        return Pungi.Build.Repodata.RepodataReader.Read(repo).Select(p => new PackageSetPackage(p, Path.Combine(repo, p.Location))).ToList();
    });

    public static string Repos => Path.Combine(TestPaths.Fixtures, "pungi-dummy", "repos");

    private static readonly Dictionary<string, IReadOnlyList<RpmPackage>> Cache = new(StringComparer.Ordinal);

    public static IReadOnlyList<RpmPackage> Load(string name)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue(name, out var cached)) return cached;
            var dir = Path.Combine(Repos, name);
            var repomd = XDocument.Load(Path.Combine(dir, "repodata", "repomd.xml"));
            XNamespace rns = "http://linux.duke.edu/metadata/repo";
            string Href(string type) => repomd.Root!.Elements(rns + "data").First(d => (string?)d.Attribute("type") == type)
                .Element(rns + "location")!.Attribute("href")!.Value;
            var files = ReadFilelists(Path.Combine(dir, Href("filelists")));
            var pkgs = ReadPrimary(Path.Combine(dir, Href("primary")), files);
            Cache[name] = pkgs;
            return pkgs;
        }
    }

    private static XDocument Gz(string path)
    {
        using var s = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        return XDocument.Load(s);
    }

    private static Dictionary<string, List<PackageFile>> ReadFilelists(string path)
    {
        XNamespace ns = "http://linux.duke.edu/metadata/filelists";
        var d = new Dictionary<string, List<PackageFile>>(StringComparer.Ordinal);
        foreach (var p in Gz(path).Root!.Elements(ns + "package"))
        {
            d[p.Attribute("pkgid")!.Value] = p.Elements(ns + "file").Select(f => new PackageFile(f.Value,
                (string?)f.Attribute("type") switch { "dir" => PackageFileType.Dir, "ghost" => PackageFileType.Ghost, _ => PackageFileType.File }))
                .ToList();
        }
        return d;
    }

    private static List<RpmPackage> ReadPrimary(string path, Dictionary<string, List<PackageFile>> files)
    {
        XNamespace c = "http://linux.duke.edu/metadata/common";
        XNamespace rpm = "http://linux.duke.edu/metadata/rpm";
        var result = new List<RpmPackage>();
        foreach (var p in Gz(path).Root!.Elements(c + "package"))
        {
            var v = p.Element(c + "version")!;
            var fmt = p.Element(c + "format")!;
            var id = p.Element(c + "checksum")!.Value;
            List<Dependency> Deps(string tag) => fmt.Element(rpm + tag)?.Elements(rpm + "entry").Select(e =>
            {
                var flags = (string?)e.Attribute("flags") switch
                {
                    "EQ" => DependencyFlags.Equal, "LT" => DependencyFlags.Less, "GT" => DependencyFlags.Greater,
                    "LE" => DependencyFlags.Less | DependencyFlags.Equal, "GE" => DependencyFlags.Greater | DependencyFlags.Equal,
                    _ => DependencyFlags.None,
                };
                if ((string?)e.Attribute("pre") == "1") flags |= DependencyFlags.PreReq;
                string? ver = null;
                if (e.Attribute("ver") is { } va)
                {
                    var ep = (string?)e.Attribute("epoch");
                    ver = (string.IsNullOrEmpty(ep) ? "" : ep + ":") + va.Value + (e.Attribute("rel") is { } r ? "-" + r.Value : "");
                }
                return new Dependency(e.Attribute("name")!.Value, flags, ver);
            }).ToList() ?? [];
            var fileList = files.GetValueOrDefault(id) ?? [];
            result.Add(new RpmPackage
            {
                Name = p.Element(c + "name")!.Value,
                Arch = p.Element(c + "arch")!.Value,
                Epoch = (string?)v.Attribute("epoch"),
                Version = v.Attribute("ver")!.Value,
                Release = v.Attribute("rel")!.Value,
                SourceRpm = fmt.Element(rpm + "sourcerpm")?.Value ?? "",
                Location = p.Element(c + "location")!.Attribute("href")!.Value,
                Provides = Deps("provides"),
                Requires = Deps("requires"),
                Files = fileList,
            });
        }
        return result;
    }

    /// <summary>The dummy comps: groups (id → packagereqs) and langpacks.</summary>
    public static (Dictionary<string, List<(string Name, string Type, string? Requires)>> Groups, List<LangpackMatch> Langpacks) Comps()
    {
        var doc = XDocument.Load(Path.Combine(Repos, "repo", "repodata", "dummy-comps.xml"));
        var groups = doc.Root!.Elements("group").ToDictionary(g => g.Element("id")!.Value,
            g => g.Descendants("packagereq").Select(r => (r.Value, (string?)r.Attribute("type") ?? "mandatory", (string?)r.Attribute("requires"))).ToList());
        var langpacks = doc.Root!.Element("langpacks")?.Elements("match")
            .Select(m => new LangpackMatch(m.Attribute("name")!.Value, m.Attribute("install")!.Value)).ToList() ?? [];
        return (groups, langpacks);
    }
}
