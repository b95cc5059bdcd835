using Xunit;
using System.Globalization;
using System.Text;
using Pungi.Build.Rpm;

namespace Pungi.Build.Tests.Rpm;

/// <summary>
/// Every field the reader produces, for all 432 pungi-dummy RPMs, held against <c>rpm -qp --queryformat</c>
/// (rpm's own header reader is the reference).
/// </summary>
public class RpmHeaderReaderInteropTests
{
    private const char FS = '\u241F', RS = '\u241E', GS = '\u241D';

    private static readonly string[] Scalars =
    [
        "NAME", "EPOCH", "VERSION", "RELEASE", "ARCH", "SUMMARY", "DESCRIPTION", "PACKAGER", "URL", "LICENSE",
        "VENDOR", "GROUP", "BUILDHOST", "SOURCERPM", "BUILDTIME", "LONGSIZE", "LONGARCHIVESIZE", "SHA1HEADER", "SHA256HEADER",
    ];

    private static readonly (string Kind, Func<RpmPackage, IReadOnlyList<Dependency>> Get)[] DepKinds =
    [
        ("PROVIDE", p => p.Provides), ("REQUIRE", p => p.Requires), ("CONFLICT", p => p.Conflicts),
        ("OBSOLETE", p => p.Obsoletes), ("RECOMMEND", p => p.Recommends), ("SUGGEST", p => p.Suggests),
        ("SUPPLEMENT", p => p.Supplements), ("ENHANCE", p => p.Enhances),
    ];

    internal static string QueryFormat()
    {
        var sb = new StringBuilder();
        foreach (var s in Scalars) sb.Append("%{").Append(s).Append('}').Append(FS);
        foreach (var (kind, _) in DepKinds)
            sb.Append($"[%{{{kind}NAME}}{RS}%{{{kind}FLAGS}}{RS}%{{{kind}VERSION}}{RS}]").Append(FS);
        sb.Append($"[%{{FILENAMES}}{RS}%{{FILEMODES}}{RS}%{{FILEFLAGS}}{RS}]").Append(FS);
        sb.Append($"[%{{CHANGELOGTIME}}{RS}%{{CHANGELOGNAME}}{RS}%{{CHANGELOGTEXT}}{RS}]").Append(FS);
        sb.Append(GS);
        return sb.ToString();
    }

    /// <summary>Runs rpm over many files in few processes; returns one field array per file, in order.</summary>
    internal static List<string[]> QueryRpm(IReadOnlyList<string> files)
    {
        string rpm = RpmInterop.RequireTool("rpm");
        var result = new List<string[]>();
        foreach (var chunk in files.Chunk(200))
        {
            var output = RpmInterop.Run(rpm, ["-qp", "--nosignature", "--nodigest", "--qf", QueryFormat(), .. chunk]);
            var records = output.Split(GS);
            Assert.Equal(chunk.Length + 1, records.Length);
            result.AddRange(records[..^1].Select(r => r.Split(FS)));
        }
        return result;
    }

    private static string None(string s) => s.Length == 0 ? "(none)" : s;

    internal static List<string> Compare(string file, RpmPackage p, string[] f)
    {
        var diffs = new List<string>();
        void Eq(string what, string expected, string actual)
        {
            if (!string.Equals(expected, actual, StringComparison.Ordinal)) diffs.Add($"{Path.GetFileName(file)}: {what}: rpm '{expected}', ours '{actual}'");
        }
        int i = 0;
        Eq("NAME", f[i++], p.Name);
        Eq("EPOCH", f[i++], p.Epoch ?? "(none)");
        Eq("VERSION", f[i++], p.Version);
        Eq("RELEASE", f[i++], p.Release);
        string arch = f[i++];
        // A source package's ARCH is its build arch; the model says src/nosrc as the file name does.
        if (p.IsSource) Eq("source arch from file name", file.EndsWith(".nosrc.rpm", StringComparison.Ordinal) ? "nosrc" : "src", p.Arch);
        else Eq("ARCH", arch, p.Arch);
        Eq("SUMMARY", f[i++], None(p.Summary));
        Eq("DESCRIPTION", f[i++], None(p.Description));
        Eq("PACKAGER", f[i++], None(p.Packager));
        Eq("URL", f[i++], None(p.Url));
        Eq("LICENSE", f[i++], None(p.License));
        Eq("VENDOR", f[i++], None(p.Vendor));
        Eq("GROUP", f[i++], None(p.Group));
        Eq("BUILDHOST", f[i++], None(p.BuildHost));
        Eq("SOURCERPM", f[i++], None(p.SourceRpm));
        Eq("BUILDTIME", f[i++], p.BuildTime.ToString(CultureInfo.InvariantCulture));
        Eq("LONGSIZE", f[i++], p.InstalledSize.ToString(CultureInfo.InvariantCulture));
        Eq("LONGARCHIVESIZE", f[i++], p.ArchiveSize.ToString(CultureInfo.InvariantCulture));
        Eq("SHA1HEADER", f[i++], p.HeaderSha1 ?? "(none)");
        Eq("SHA256HEADER", f[i++], p.HeaderSha256 ?? "(none)");
        foreach (var (kind, get) in DepKinds)
        {
            var expected = f[i++];
            var actual = string.Concat(get(p).Select(d => $"{d.Name}{RS}{(uint)d.Flags}{RS}{d.Version ?? ""}{RS}"));
            Eq(kind + "S", expected, actual);
        }
        var files = RpmHeaderReader.ReadFileEntries(RpmFile.Open(file));
        Eq("FILES", f[i++], string.Concat(files.Select(e => $"{e.Path}{RS}{e.Mode}{RS}{(uint)e.Flags}{RS}")));
        Eq("file types", string.Join(',', files.Select(e => e.IsDirectory ? "dir" : e.IsGhost ? "ghost" : "file")),
            string.Join(',', p.Files.Select(x => x.Type.ToString().ToLowerInvariant())));
        Eq("CHANGELOG", f[i++], string.Concat(p.Changelogs.Select(c => $"{c.Date}{RS}{c.Author}{RS}{c.Text}{RS}")));
        return diffs;
    }

    [SkippableFact]
    public void AllDummyRpms_MatchRpmQueryformat()
    {
        var files = RpmInterop.AllDummyRpms().ToList();
        Assert.Equal(432, files.Count);
        var rpmFields = QueryRpm(files);
        var diffs = new List<string>();
        for (int k = 0; k < files.Count; k++)
        {
            var p = RpmHeaderReader.Read(files[k], new RpmReadOptions { ChecksumType = null });
            diffs.AddRange(Compare(files[k], p, rpmFields[k]));
        }
        Assert.True(diffs.Count == 0, $"{diffs.Count} differences:\n" + string.Join('\n', diffs.Take(40)));
    }

    [SkippableFact]
    public void FileDump_MatchesRpmDump()
    {
        // rpm -qp --dump: path size mtime digest mode owner group isconfig isdoc rdev symlink.
        string rpm = RpmInterop.RequireTool("rpm");
        var files = RpmInterop.AllDummyRpms().Where(f => RpmFile.Open(f).Header.Has(RpmTag.BaseNames)).Take(60).ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var expected = RpmInterop.Run(rpm, ["-qp", "--nosignature", "--nodigest", "--dump", file]);
            var sb = new StringBuilder();
            foreach (var e in RpmHeaderReader.ReadFileEntries(RpmFile.Open(file)))
            {
                string digest = e.Digest.Length == 0 ? new string('0', 64) : e.Digest;
                sb.Append(CultureInfo.InvariantCulture,
                    $"{e.Path} {e.Size} {e.MTime} {digest} 0{Convert.ToString(e.Mode, 8)} {e.User} {e.Group} " +
                    $"{((e.Flags & RpmFileFlags.Config) != 0 ? 1 : 0)} {((e.Flags & RpmFileFlags.Doc) != 0 ? 1 : 0)} {e.Rdev} {(e.LinkTo.Length == 0 ? "X" : e.LinkTo)}\n");
            }
            Assert.Equal(expected, sb.ToString());
        }
    }
}
