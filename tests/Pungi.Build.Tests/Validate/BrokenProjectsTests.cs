using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Pungi.Build.Tests.Validate;

/// <summary>
/// Issue 12's "done when": broken composeprojs, each with one mistake, fail Validate with the right code at the file
/// and line of the mistake. All cases build in one spawned MSBuild (a traversal project running -t:Validate on each),
/// so the whole set costs one process start. The expected line is where the test wrote the mistake, found in its text.
/// </summary>
[Collection("spawned builds")]
public sealed class BrokenProjectsTests
{
    /// <summary>(case, what to change in the good project, the code, the file the error points at).</summary>
    private static readonly (string Name, Func<string, string> Edit, string Code, string Marker, string File)[] Cases =
    [
        ("compose-type", p => Prop(p, "<ComposeType>weekly</ComposeType>"), "PUNGI1003", "<ComposeType>weekly", "distro.composeproj"),
        ("bool", p => Prop(p, "<CheckDeps>yes</CheckDeps>"), "PUNGI1301", "<CheckDeps>yes", "distro.composeproj"),
        ("greedy", p => Prop(p, "<GreedyMethod>bild</GreedyMethod>"), "PUNGI3008", "<GreedyMethod>bild", "distro.composeproj"),
        ("link-type", p => Prop(p, "<LinkType>hardlinks</LinkType>"), "PUNGI3092", "<LinkType>hardlinks", "distro.composeproj"),
        ("checksum", p => Prop(p, "<CreaterepoChecksum>sha257</CreaterepoChecksum>"), "PUNGI4009", "<CreaterepoChecksum>", "distro.composeproj"),
        ("compression", p => Prop(p, "<CreaterepoCompression>gzip2</CreaterepoCompression>"), "PUNGI4005", "<CreaterepoCompression>", "distro.composeproj"),
        ("iso-backend", p => Prop(p, "<IsoBackend>xorisso</IsoBackend>"), "PUNGI5013", "<IsoBackend>", "distro.composeproj"),
        ("iso-level", p => Prop(p, "<IsoLevel>9</IsoLevel>"), "PUNGI5007", "<IsoLevel>", "distro.composeproj"),
        ("respin", p => Prop(p, "<ComposeRespin>-1</ComposeRespin>"), "PUNGI1005", "<ComposeRespin>", "distro.composeproj"),
        ("media-checksums", p => Prop(p, "<MediaChecksums>sha256;md6</MediaChecksums>"), "PUNGI5015", "<MediaChecksums>", "distro.composeproj"),
        ("skip-phases", p => Prop(p, "<SkipPhases>gathr</SkipPhases>"), "PUNGI1303", "<SkipPhases>", "distro.composeproj"),
        ("tree-arches", p => Prop(p, "<TreeArches>x86-64</TreeArches>"), "PUNGI1025", "<TreeArches>", "distro.composeproj"),
        ("tree-variants", p => Prop(p, "<TreeVariants>Sever</TreeVariants>"), "PUNGI1305", "<TreeVariants>", "distro.composeproj"),
        ("gather-method", p => Prop(p, "<GatherMethod>hybrid</GatherMethod>"), "PUNGI3090", "<GatherMethod>hybrid", "distro.composeproj"),
        ("strictness", p => Item(p, "<RepoclosureStrictness Include=\"strict\" />"), "PUNGI3096", "<RepoclosureStrictness", "distro.composeproj"),
        ("multilib", p => Item(p, "<Multilib Include=\"kernel\" Variant=\"^Server$\" />"), "PUNGI3006", "Include=\"kernel\"", "distro.composeproj"),
        ("regex", p => Item(p, "<FilterPackage Include=\"sample-nano\" Variant=\"^(Server\" />"), "PUNGI1010", "^(Server", "distro.composeproj"),
        ("variant-ref", p => Item(p, "<AdditionalPackage Include=\"sample-bash\" Variant=\"^Sever$\" />"), "PUNGI1308", "^Sever$", "distro.composeproj"),
        ("item-arch", p => Item(p, "<AdditionalPackage Include=\"sample-bash\" Arch=\"x86-64\" />"), "PUNGI1025", "x86-64", "distro.composeproj"),
        ("max-size", p => Item(p, "<CreateisoMaxSize Include=\"4GB\" />"), "PUNGI1302", "4GB", "distro.composeproj"),
        ("comps-file", p => p.Replace("<CompsFile Include=\"comps.xml\" />", "<CompsFile Include=\"nocomps.xml\" />", StringComparison.Ordinal), "PUNGI1306", "nocomps.xml", "distro.composeproj"),
        ("repository", p => p.Replace("<PackageRepository Include=\"rpms/\" />", "<PackageRepository Include=\"norpms/\" />", StringComparison.Ordinal), "PUNGI2101", "norpms/", "distro.composeproj"),
        ("lookaside", p => Item(p, "<GatherLookasideRepo Include=\"lookaside/\" />"), "PUNGI1307", "lookaside/", "distro.composeproj"),
        ("variants-file", p => p.Replace("<VariantsFile Include=\"variants.xml\" />", "<VariantsFile Include=\"varients.xml\" />", StringComparison.Ordinal), "PUNGI1020", "varients.xml", "distro.composeproj"),
    ];

    private static string Prop(string project, string element)
        => project.Replace("</PropertyGroup>", "  " + element + "\n  </PropertyGroup>", StringComparison.Ordinal);

    private static string Item(string project, string element)
        => project.Replace("</ItemGroup>", "  " + element + "\n  </ItemGroup>", StringComparison.Ordinal);

    [Fact]
    public void EachBrokenProject_FailsValidate_WithItsCode_AtItsLine()
    {
        var root = Path.Combine(Path.GetTempPath(), "pungi-tests", $"broken-{Guid.NewGuid():N}"[..15]);
        try
        {
            var expected = new Dictionary<string, (string Code, string File, int Line)>();
            foreach (var (name, edit, code, marker, file) in Cases)
            {
                var text = edit(GoodProject());
                WriteCase(root, name, text);
                expected[name] = (code, file, LineOf(text, marker));
            }
            // A variants.xml mistake: a group that is not in the comps points at the variant in variants.xml.
            WriteCase(root, "comps-group", GoodProject());
            var variants = File.ReadAllText(Path.Combine(root, "comps-group", "variants.xml")).Replace("workstation-product</group>", "workstaton-product</group>", StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(root, "comps-group", "variants.xml"), variants);
            expected["comps-group"] = ("PUNGI1313", "variants.xml", LineOf(variants, "<variant id=\"Workstation\""));
            // A near-miss property name is a warning at its line, and Validate passes.
            var typo = Prop(GoodProject(), "<ComposeTyp>nightly</ComposeTyp>");
            WriteCase(root, "typo", typo);

            var (exit, output) = BuildAll(root);
            Assert.NotEqual(0, exit);
            var errors = Regex.Matches(output, @"^\s*(?<file>/\S+)\((?<line>\d+)(,\d+)?\): (?<kind>error|warning) (?<code>PUNGI\d{4}):", RegexOptions.Multiline)
                .Select(m => (Case: Path.GetFileName(Path.GetDirectoryName(m.Groups["file"].Value))!, File: Path.GetFileName(m.Groups["file"].Value),
                              Line: int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture), Kind: m.Groups["kind"].Value, Code: m.Groups["code"].Value))
                .Distinct().ToList();
            Assert.True(expected.Count >= 20);
            foreach (var (name, (code, file, line)) in expected)
            {
                var found = errors.Where(e => e.Case == name && e.Kind == "error").ToList();
                Assert.True(found.Count == 1, $"{name}: expected one error {code} at {file}({line}), got [{string.Join("; ", found)}]\n{output}");
                Assert.Equal((code, file, line), (found[0].Code, found[0].File, found[0].Line));
            }
            Assert.Equal([("typo", "distro.composeproj", LineOf(typo, "<ComposeTyp>"), "warning", "PUNGI1311")], errors.Where(e => e.Case == "typo").ToList());
            Assert.DoesNotContain("   at ", output);
            Assert.Empty(Directory.GetDirectories(root, "bin", SearchOption.AllDirectories));
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>The sample product's composeproj, with a date so the compose ID is fixed; the RPM folder stays empty.</summary>
    private static string GoodProject()
    {
        var targets = Path.Combine(TestPaths.RepoRoot, "targets", "Sdk");
        return $"""
            <Project>
              <Import Project="{targets}/Sdk.props" />
              <PropertyGroup>
                <ReleaseName>Sample Product</ReleaseName>
                <ReleaseShort>SAMPLE</ReleaseShort>
                <ReleaseVersion>1.0</ReleaseVersion>
                <ComposeDate>20261127</ComposeDate>
              </PropertyGroup>
              <ItemGroup>
                <VariantsFile Include="variants.xml" />
                <CompsFile Include="comps.xml" />
                <PackageRepository Include="rpms/" />
                <AdditionalPackage Include="sample-nano" Variant="^Server$" Arch="*" />
              </ItemGroup>
              <Import Project="{targets}/Sdk.targets" />
            </Project>
            """;
    }

    private static void WriteCase(string root, string name, string project)
    {
        var dir = Path.Combine(root, name);
        Directory.CreateDirectory(Path.Combine(dir, "rpms"));
        var sample = Path.Combine(TestPaths.RepoRoot, "samples", "dummy-product");
        File.Copy(Path.Combine(sample, "variants.xml"), Path.Combine(dir, "variants.xml"));
        File.Copy(Path.Combine(sample, "comps.xml"), Path.Combine(dir, "comps.xml"));
        File.WriteAllText(Path.Combine(dir, "distro.composeproj"), project);
    }

    private static int LineOf(string text, string marker)
    {
        var lines = text.Split('\n');
        var hits = Enumerable.Range(0, lines.Length).Where(i => lines[i].Contains(marker, StringComparison.Ordinal)).ToList();
        Assert.True(hits.Count == 1, $"marker {marker} found {hits.Count} times");
        return hits[0] + 1;
    }

    /// <summary>One spawned MSBuild: a traversal project runs Validate on every case and goes on after failures.</summary>
    private static (int Exit, string Output) BuildAll(string root)
    {
        var traversal = Path.Combine(root, "all.proj");
        File.WriteAllText(traversal, """
            <Project>
              <ItemGroup><CaseProject Include="*/distro.composeproj" /></ItemGroup>
              <Target Name="Build">
                <MSBuild Projects="@(CaseProject)" Targets="Validate" ContinueOnError="ErrorAndContinue" BuildInParallel="true" />
              </Target>
            </Project>
            """);
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        foreach (var a in new[] { "build", traversal, "-nologo", "-nr:false", "-tl:off", "-v:m", "-p:PungiBootstrapTasks=false" })
            psi.ArgumentList.Add(a);
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        psi.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        var output = new StringBuilder();
        using var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!p.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException(output.ToString());
        }
        p.WaitForExit();
        return (p.ExitCode, output.ToString());
    }
}
