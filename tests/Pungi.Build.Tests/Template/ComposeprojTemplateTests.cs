using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Xml.Linq;

namespace Pungi.Build.Tests.Template;

/// <summary>
/// The user's path end to end (issue #12): the SDK package packed into a local feed, <c>dotnet new composeproj</c> from
/// the template folder in a private hive, a few sample RPMs copied into rpms/, and a plain <c>dotnet build</c> that
/// resolves <c>Pungi.Build.Sdk/1.0.0</c> from that feed through NuGet's SDK resolver into a private packages folder.
/// One spawned chain shared by every assertion (the costly part is the build).
/// </summary>
[Collection("spawned builds")]
public sealed class ComposeprojTemplateTests : IClassFixture<ComposeprojTemplateTests.Run>
{
    private readonly Run _run;

    public ComposeprojTemplateTests(Run run) => _run = run;

    [Fact]
    public void SdkPackage_HoldsTheEntryPoints_TheTargets_AndTheTaskDllWithItsDependencies()
    {
        var files = _run.PackageFiles;
        // Sdk.props finds the DLL at ../tasks/net10.0/ and imports ../Pungi.Build.props: the layout it relies on
        Assert.Contains("Sdk/Sdk.props", files);
        Assert.Contains("Sdk/Sdk.targets", files);
        Assert.Contains("Pungi.Build.props", files);
        Assert.Contains("Pungi.Build.targets", files);
        Assert.Contains("Pungi.Build.xsd", files);
        foreach (var phase in Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "targets", "Phases"), "*.targets"))
            Assert.Contains("Phases/" + Path.GetFileName(phase), files);
        foreach (var dll in new[] { "Pungi.Build.Tasks.dll", "Pungi.Build.Tasks.deps.json", "Pungi.Build.dll", "ZstdSharp.dll", "SharpCompress.dll", "Microsoft.Data.Sqlite.dll", "SQLitePCLRaw.core.dll", "NuGet.Versioning.dll" })
            Assert.Contains("tasks/net10.0/" + dll, files);
        // the native sqlite MSBuild loads through the deps.json on this machine
        Assert.Contains("tasks/net10.0/runtimes/linux-x64/native/libe_sqlite3.so", files);
        // the repository-only bootstrap and the host's own MSBuild assemblies stay out
        Assert.DoesNotContain("Pungi.Build.Bootstrap.targets", files);
        Assert.DoesNotContain(files, f => f.Contains("Microsoft.Build.", StringComparison.Ordinal) || f.EndsWith(".pdb", StringComparison.Ordinal));
        Assert.Equal("MSBuildSdk", _run.PackageType);
    }

    [Fact]
    public void Template_CreatesTheProjectNamedByN_ReferencingTheSdkByName()
    {
        var project = Path.Combine(_run.ProjectDir, "Distro.composeproj");
        Assert.True(File.Exists(project), _run.Log.ToString());
        var root = XDocument.Load(project).Root!;
        Assert.Equal("Pungi.Build.Sdk/1.0.0", root.Attribute("Sdk")?.Value);
        Assert.Equal("Distro", root.Descendants("ReleaseShort").Single().Value);
        Assert.True(File.Exists(Path.Combine(_run.ProjectDir, "variants.xml")));
        Assert.True(File.Exists(Path.Combine(_run.ProjectDir, "comps.xml")));
        Assert.True(File.Exists(Path.Combine(_run.ProjectDir, "rpms", "README.md")));
    }

    [Fact]
    public void Template_KeepsTheNameAsReleaseName_AndOnlyIdCharactersInReleaseShort()
    {
        // ReleaseShort names the compose ID, its folder and the ISO volume IDs: a space or dot from -n has no place there
        var project = Path.Combine(_run.SpacedProjectDir, "My Distro.2.composeproj");
        Assert.True(File.Exists(project), _run.Log.ToString());
        var root = XDocument.Load(project).Root!;
        Assert.Equal("My Distro.2", root.Descendants("ReleaseName").Single().Value);
        Assert.Equal("MyDistro2", root.Descendants("ReleaseShort").Single().Value);
    }

    [Fact]
    public void TemplateProject_ComposesWithTheSdkRestoredFromTheLocalFeed()
    {
        Assert.True(_run.BuildExit == 0, _run.Log.ToString());
        var compose = Directory.GetDirectories(Path.Combine(_run.ProjectDir, "bin"), "Distro-1.0-*").Single(d => !new FileInfo(d).Attributes.HasFlag(FileAttributes.ReparsePoint));
        Assert.Equal("FINISHED", File.ReadAllText(Path.Combine(compose, "STATUS")).Trim());
        var os = Path.Combine(compose, "compose", "Server", "x86_64", "os");
        Assert.True(File.Exists(Path.Combine(os, "repodata", "repomd.xml")));
        // by hand from the sample RPMs: comps core = filesystem + glibc; glibc requires glibc-common = 2.38-7,
        // glibc-common requires setup (gather_method deps)
        var rpms = Directory.GetFiles(os, "*.rpm", SearchOption.AllDirectories).Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(new[]
        {
            "sample-filesystem-3.18-2.noarch.rpm", "sample-glibc-2.38-7.x86_64.rpm", "sample-glibc-common-2.38-7.x86_64.rpm",
            "sample-setup-2.14.4-1.noarch.rpm",
        }, rpms);
        // the build ran the package's task DLL (a package has no src/ to bootstrap from)
        Assert.True(File.Exists(Path.Combine(_run.PackagesDir, "pungi.build.sdk", "1.0.0", "tasks", "net10.0", "Pungi.Build.Tasks.dll")), _run.Log.ToString());
    }

    /// <summary>The spawned chain, run once for the class.</summary>
    public sealed class Run : IDisposable
    {
        private readonly string _root = Path.Combine(Path.GetTempPath(), "pungi-tests", "template-" + Guid.NewGuid().ToString("N")[..8]);

        public StringBuilder Log { get; } = new();
        public string ProjectDir => Path.Combine(_root, "Distro");
        public string SpacedProjectDir => Path.Combine(_root, "spaced");
        public string PackagesDir => Path.Combine(_root, "packages");
        public List<string> PackageFiles { get; } = [];
        public string? PackageType { get; }
        public int BuildExit { get; } = -1;

        public Run()
        {
            var feed = Path.Combine(_root, "feed");
            var hive = Path.Combine(_root, "hive");
            Directory.CreateDirectory(feed);
            // the test assembly's configuration is the one its build also built the SDK project in
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            Dotnet(TestPaths.RepoRoot, null, "pack", Path.Combine(TestPaths.RepoRoot, "src", "Pungi.Build.Sdk", "Pungi.Build.Sdk.csproj"),
                "--no-build", "--no-restore", "-c", configuration, "-o", feed, "-nologo", "-nr:false");
            var nupkg = Path.Combine(feed, "Pungi.Build.Sdk.1.0.0.nupkg");
            if (File.Exists(nupkg))
            {
                using var zip = ZipFile.OpenRead(nupkg);
                PackageFiles.AddRange(zip.Entries.Select(e => e.FullName));
                var nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
                using var s = nuspec.Open();
                PackageType = XDocument.Load(s).Descendants().FirstOrDefault(e => e.Name.LocalName == "packageType")?.Attribute("name")?.Value;
            }

            var template = Path.Combine(TestPaths.RepoRoot, "templates", "Pungi.Build.Templates", "content", "composeproj");
            Dotnet(_root, null, "new", "install", template, "--debug:custom-hive", hive);
            Dotnet(_root, null, "new", "composeproj", "-n", "Distro", "-o", ProjectDir, "--debug:custom-hive", hive);
            Dotnet(_root, null, "new", "composeproj", "-n", "My Distro.2", "-o", SpacedProjectDir, "--debug:custom-hive", hive);
            if (!Directory.Exists(ProjectDir)) return;

            var samples = Path.Combine(TestPaths.RepoRoot, "samples", "dummy-product", "rpms");
            foreach (var rpm in new[]
            {
                "noarch/sample-filesystem-3.18-2.noarch.rpm", "noarch/sample-setup-2.14.4-1.noarch.rpm",
                "x86_64/sample-glibc-2.38-7.x86_64.rpm", "x86_64/sample-glibc-common-2.38-7.x86_64.rpm",
                "src/sample-filesystem-3.18-2.src.rpm", "src/sample-setup-2.14.4-1.src.rpm", "src/sample-glibc-2.38-7.src.rpm",
                // not named by comps nor required: must stay out of the tree
                "x86_64/sample-nano-7.2-3.x86_64.rpm",
            })
                File.Copy(Path.Combine(samples, rpm), Path.Combine(ProjectDir, "rpms", Path.GetFileName(rpm)));
            // only the local feed: the SDK must come from the package just packed, never from a cache or the network
            File.WriteAllText(Path.Combine(ProjectDir, "nuget.config"),
                $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="local" value="{feed}" />
                  </packageSources>
                </configuration>
                """);
            BuildExit = Dotnet(ProjectDir, new() { ["NUGET_PACKAGES"] = PackagesDir },
                "build", "-nologo", "-nr:false", "-tl:off", "-v:m", "-p:PungiBootstrapTasks=false");
        }

        private int Dotnet(string workingDir, Dictionary<string, string>? env, params string[] args)
        {
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDir };
            foreach (var a in args) psi.ArgumentList.Add(a);
            psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
            psi.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
            psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            psi.Environment["DOTNET_NOLOGO"] = "1";
            foreach (var (k, v) in env ?? []) psi.Environment[k] = v;
            Log.AppendLine("$ dotnet " + string.Join(' ', args));
            using var p = Process.Start(psi)!;
            p.OutputDataReceived += (_, e) => { if (e.Data != null) lock (Log) Log.AppendLine(e.Data); };
            p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (Log) Log.AppendLine(e.Data); };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            if (!p.WaitForExit(TimeSpan.FromMinutes(3)))
            {
                p.Kill(entireProcessTree: true);
                Log.AppendLine("timed out");
                return -1;
            }
            p.WaitForExit();
            Log.AppendLine($"exit {p.ExitCode}");
            return p.ExitCode;
        }

        public void Dispose()
        {
            try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
