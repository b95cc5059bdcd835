using System.Globalization;
using System.IO.Compression;
using System.Xml;
using Pungi.Build.Rpm;
using Xunit;

namespace Pungi.Build.Tests.Rpm;

/// <summary>
/// Holds the reader plus <see cref="CreaterepoRules"/> against what createrepo_c itself writes for the same files:
/// header range, sizes, checksum, time, filtered requires with pre, every dependency kind, primary files,
/// filelists and other.xml changelogs.
/// </summary>
public class CreaterepoInteropTests
{
    private sealed record Entry(string Name, string? Flags, string? Epoch, string? Ver, string? Rel, bool Pre);

    private sealed class PrimaryPackage
    {
        public string Arch = "", Checksum = "", Location = "";
        public Dictionary<string, string> Attrs = [];
        public Dictionary<string, List<Entry>> Deps = [];
        public List<string> PrimaryFiles = [];
    }

    private static XmlReader Open(string gz)
        => XmlReader.Create(new GZipStream(File.OpenRead(gz), CompressionMode.Decompress), new XmlReaderSettings { IgnoreWhitespace = true });

    private static Dictionary<string, PrimaryPackage> ParsePrimary(string gz)
    {
        var result = new Dictionary<string, PrimaryPackage>();
        using var x = Open(gz);
        PrimaryPackage? cur = null;
        bool consumed = false;
        List<Entry>? deps = null;
        bool more = x.Read();
        for (; more; more = consumed ? !x.EOF : x.Read())
        {
            consumed = false;
            if (x.NodeType == XmlNodeType.EndElement && x.LocalName == "package") { result[cur!.Location] = cur; cur = null; continue; }
            if (x.NodeType != XmlNodeType.Element) continue;
            switch (x.LocalName)
            {
                case "package": cur = new PrimaryPackage(); break;
                case "arch" when cur is not null: cur.Arch = Content(x, ref consumed); break;
                case "checksum" when cur is not null: cur.Checksum = Content(x, ref consumed); break;
                case "location": cur!.Location = x.GetAttribute("href")!; break;
                case "time": cur!.Attrs["time.file"] = x.GetAttribute("file")!; cur.Attrs["time.build"] = x.GetAttribute("build")!; break;
                case "size":
                    foreach (var a in new[] { "package", "installed", "archive" }) cur!.Attrs["size." + a] = x.GetAttribute(a)!;
                    break;
                case "header-range": cur!.Attrs["hr.start"] = x.GetAttribute("start")!; cur.Attrs["hr.end"] = x.GetAttribute("end")!; break;
                case "version" when cur is not null: cur.Attrs["epoch"] = x.GetAttribute("epoch")!; break;
                case "provides" or "requires" or "conflicts" or "obsoletes" or "recommends" or "suggests" or "supplements" or "enhances":
                    cur!.Deps[x.LocalName] = deps = [];
                    break;
                case "entry":
                    deps!.Add(new Entry(x.GetAttribute("name")!, x.GetAttribute("flags"), x.GetAttribute("epoch"), x.GetAttribute("ver"), x.GetAttribute("rel"), x.GetAttribute("pre") == "1"));
                    break;
                case "file" when cur is not null: cur.PrimaryFiles.Add((x.GetAttribute("type") ?? "") + ":" + Content(x, ref consumed)); break;
            }
        }
        return result;
    }

    private static Dictionary<string, List<string>> ParseByPkgId(string gz, string element)
    {
        var result = new Dictionary<string, List<string>>();
        using var x = Open(gz);
        List<string>? cur = null;
        bool consumed = false;
        bool more = x.Read();
        for (; more; more = consumed ? !x.EOF : x.Read())
        {
            consumed = false;
            if (x.NodeType != XmlNodeType.Element) continue;
            if (x.LocalName == "package") result[x.GetAttribute("pkgid")!] = cur = [];
            else if (x.LocalName == element && element == "changelog")
                cur!.Add($"{x.GetAttribute("author")}|{x.GetAttribute("date")}|{Content(x, ref consumed)}");
            else if (x.LocalName == element)
                cur!.Add((x.GetAttribute("type") ?? "") + ":" + Content(x, ref consumed));
        }
        return result;
    }

    private static string Content(XmlReader x, ref bool consumed)
    {
        consumed = true;
        return x.ReadElementContentAsString();
    }

    private static Entry ToEntry(Dependency d, bool pre)
    {
        if (!d.IsVersioned && d.Version is null) return new Entry(d.Name, null, null, null, null, pre);
        var evr = Evr.Parse(d.Version ?? "");
        return new Entry(d.Name, d.RepodataFlags, evr.Epoch ?? "0", evr.Version, string.IsNullOrEmpty(evr.Release) ? null : evr.Release, pre);
    }

    private static Entry ToEntry(Pungi.Build.Repodata.RepoDependency d) => new(d.Name, d.Flags, d.Epoch, d.Version, d.Release, d.Pre);

    private static string Fmt(IEnumerable<Entry> es) => string.Join("; ", es.Select(e => $"{e.Name} {e.Flags} {e.Epoch}:{e.Ver}-{e.Rel}{(e.Pre ? " pre" : "")}"));

    [SkippableFact]
    public void DummyRpms_MatchCreaterepoC() => CompareWithCreaterepo(TestPaths.PungiDummyRpms, 432);

    /// <summary>Opt-in: PUNGI_SYNTH_REPO from fixtures/synth/make-synth-repo.sh (rich deps, Requires(pre), /etc file requires).</summary>
    [SkippableFact]
    public void SynthRepo_MatchesCreaterepoC()
    {
        string? dir = Environment.GetEnvironmentVariable("PUNGI_SYNTH_REPO");
        Skip.If(string.IsNullOrEmpty(dir) || !Directory.Exists(dir), "PUNGI_SYNTH_REPO is not set (opt-in: bash fixtures/synth/make-synth-repo.sh 2000 DIR)");
        CompareWithCreaterepo(dir!, Directory.EnumerateFiles(dir!, "*.rpm", SearchOption.AllDirectories).Count());
    }

    private static void CompareWithCreaterepo(string root, int expectedCount)
    {
        string createrepo = RpmInterop.RequireTool("createrepo_c");
        string outDir = Directory.CreateTempSubdirectory("pungi-rpm-cr-").FullName;
        try
        {
            RpmInterop.Run(createrepo, ["--no-database", "--workers", "2", "--simple-md-filenames", "--outputdir", outDir, root]);
            var repodata = Path.Combine(outDir, "repodata");
            var primary = ParsePrimary(Path.Combine(repodata, "primary.xml.gz"));
            var filelists = ParseByPkgId(Path.Combine(repodata, "filelists.xml.gz"), "file");
            var other = ParseByPkgId(Path.Combine(repodata, "other.xml.gz"), "changelog");
            Assert.Equal(expectedCount, primary.Count);

            var diffs = new List<string>();
            int withPre = 0, withFiles = 0;
            foreach (var path in Directory.EnumerateFiles(root, "*.rpm", SearchOption.AllDirectories))
            {
                var p = RpmHeaderReader.Read(path, new RpmReadOptions { RepositoryRoot = root });
                Assert.True(primary.TryGetValue(p.Location, out var cr), $"createrepo_c has no {p.Location}");
                void Eq(string what, string expected, string actual)
                {
                    if (expected != actual) diffs.Add($"{p.Location}: {what}: createrepo_c '{expected}', ours '{actual}'");
                }
                string S(long v) => v.ToString(CultureInfo.InvariantCulture);
                Eq("arch", cr.Arch, p.RepodataArch);
                Eq("epoch", cr.Attrs["epoch"], p.Epoch ?? "0");
                Eq("checksum", cr.Checksum, p.Checksum!);
                Eq("time file", cr.Attrs["time.file"], S(p.FileTime));
                Eq("time build", cr.Attrs["time.build"], S(p.BuildTime));
                Eq("size package", cr.Attrs["size.package"], S(p.PackageSize));
                Eq("size installed", cr.Attrs["size.installed"], S(p.InstalledSize));
                Eq("size archive", cr.Attrs["size.archive"], S(p.ArchiveSize));
                Eq("header-range start", cr.Attrs["hr.start"], S(p.HeaderStart));
                Eq("header-range end", cr.Attrs["hr.end"], S(p.HeaderEnd));

                // The repodata writer's rules (one implementation) applied to what the header reader read.
                var deps = Pungi.Build.Repodata.CreaterepoRules.Dependencies(p);
                var requires = deps.Requires.Select(ToEntry).ToList();
                withPre += requires.Any(r => r.Pre) ? 1 : 0;
                Eq("requires", Fmt(cr.Deps.GetValueOrDefault("requires") ?? []), Fmt(requires));
                foreach (var (key, list) in new[] { ("provides", deps.Provides), ("conflicts", deps.Conflicts), ("obsoletes", deps.Obsoletes), ("recommends", deps.Recommends), ("suggests", deps.Suggests), ("supplements", deps.Supplements), ("enhances", deps.Enhances) })
                    Eq(key, Fmt(cr.Deps.GetValueOrDefault(key) ?? []), Fmt(list.Select(ToEntry)));
                string Ft(PackageFile f) => (f.Type switch { PackageFileType.Dir => "dir", PackageFileType.Ghost => "ghost", _ => "" }) + ":" + f.Path;
                Eq("primary files", string.Join(",", cr.PrimaryFiles), string.Join(",", p.Files.Where(f => Pungi.Build.Repodata.CreaterepoRules.IsPrimaryFile(f.Path)).Select(Ft)));
                Eq("filelists", string.Join(",", filelists[p.Checksum!]), string.Join(",", p.Files.Select(Ft)));
                withFiles += p.Files.Count > 0 ? 1 : 0;
                Eq("changelogs", string.Join("\n", other[p.Checksum!]),
                    string.Join("\n", Pungi.Build.Repodata.CreaterepoRules.Changelogs(p.Changelogs).Select(c => $"{c.Author}|{c.Date}|{c.Text}")));
            }
            Assert.True(diffs.Count == 0, $"{diffs.Count} differences:\n" + string.Join('\n', diffs.Take(40)));
            Assert.True(withPre > 0, "no package exercised the pre=\"1\" rule");
            Assert.True(withFiles > 0, "no package had files");
        }
        finally
        {
            Directory.Delete(outDir, true);
        }
    }
}
