using System.Globalization;
using Microsoft.Build.Logging.StructuredLogger;

namespace Pungi.Build.Bench;

/// <summary>One measured <c>dotnet build</c> of the synthetic compose, with what its binlog says each phase cost.</summary>
/// <param name="ChangedVariantSeconds">
/// What the variant.arch instances of the variant the "one variant changed" scenario edits (Workstation) spent in
/// their own phase targets (LinkPackages ... Createiso).
/// </param>
/// <param name="ChangedVariantSolveSeconds">
/// What Gather spent depsolving that variant (its log line "solved in N s"; zero when its answer was recalled). Gather
/// runs once per compose over every variant, so this is the only part of it that is the variant's own.
/// </param>
internal sealed record BuildResult(string Scenario, Measurement Measurement, List<PhaseTime> Phases, string Binlog, double ChangedVariantSeconds,
    double ChangedVariantSolveSeconds)
{
    /// <summary>The changed variant's own share of the build: its instances and its depsolve.</summary>
    public double ChangedVariantShare => ChangedVariantSeconds + ChangedVariantSolveSeconds;
}

/// <summary>A phase target: summed duration over its instances that ran a task, and how many of how many ran.</summary>
internal sealed record PhaseTime(string Target, double Seconds, int Ran, int Instances);

/// <summary>
/// The synthetic compose: three variants on x86_64 (i686 multilib for Server, noarch, and a source tree each), the
/// cached repository hard-linked into the project folder so a scenario can add an RPM without touching the cache.
/// </summary>
internal sealed class ComposeBench(string repoRoot, string projectDir, int maxCpuCount)
{
    /// <summary>The phase targets reported per build, in compose order; later phase files add theirs when present.</summary>
    public static readonly string[] PhaseTargets =
    [
        "Validate", "_PungiStartCompose", "Init", "Pkgset", "Gather", "LinkPackages", "Createrepo", "Treeinfo", "Repoclosure",
        "_PungiVariantArchPhases", "_PungiCreateisoVariantArch", "Createiso", "ComposeMetadata", "ImageChecksum", "_PungiFinishCompose",
    ];

    /// <summary>The variant <see cref="ChangeOneVariant"/> edits.</summary>
    public const string ChangedVariant = "Workstation";

    private int _builds;

    public string ProjectPath => Path.Combine(projectDir, "synth.composeproj");
    public string RepoDir => Path.Combine(projectDir, "repo");
    public string ComposeDir => Path.Combine(projectDir, "bin", "SYNTH-1.0-20261127.t.0", "compose");

    public void Create(SynthRepo synth)
    {
        if (Directory.Exists(projectDir)) Directory.Delete(projectDir, recursive: true);
        Directory.CreateDirectory(projectDir);
        // cp -al: hard links, so the copy is instant and the cache stays as generated.
        Measured.Check(projectDir, null, "cp", "-al", synth.Dir, RepoDir);
        var sdk = Path.Combine(repoRoot, "targets", "Sdk");
        // A small comps as every real compose has one: a "core" group (sy0..sy9) in each variant, the bulk by globs.
        File.WriteAllText(Path.Combine(projectDir, "comps.xml"), $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE comps PUBLIC "-//Red Hat, Inc.//DTD Comps info//EN" "comps.dtd">
            <comps>
              <group>
                <id>core</id>
                <name>Core</name>
                <description>Synthetic core packages</description>
                <default>true</default>
                <uservisible>false</uservisible>
                <packagelist>
            {string.Concat(Enumerable.Range(0, 10).Select(i => $"      <packagereq type=\"mandatory\">sy{i}</packagereq>\n"))}    </packagelist>
              </group>
            </comps>

            """);
        File.WriteAllText(ProjectPath, $"""
            <Project>
              <!-- Written by bench/Pungi.Build.Bench: the synthetic benchmark compose. -->
              <Import Project="{sdk}/Sdk.props" />
              <PropertyGroup>
                <ReleaseName>Synthetic Benchmark</ReleaseName>
                <ReleaseShort>SYNTH</ReleaseShort>
                <ReleaseVersion>1.0</ReleaseVersion>
                <ComposeType>test</ComposeType>
                <ComposeDate>20261127</ComposeDate>
                <PkgsetSource>repos</PkgsetSource>
                <GatherMethod>deps</GatherMethod>
                <GreedyMethod>build</GreedyMethod>
              </PropertyGroup>
              <ItemGroup>
                <PackageRepository Include="repo/" />
                <CompsFile Include="comps.xml" />
                <Variant Include="Server" Name="Server" Type="variant" Arches="x86_64" Groups="core" />
                <Variant Include="Workstation" Name="Workstation" Type="variant" Arches="x86_64" Groups="core" />
                <Variant Include="Everything" Name="Everything" Type="variant" Arches="x86_64" Groups="core" />
                <!-- Globs over the sy<g> names: Server about half the repository, Workstation a tenth, Everything all.
                     %2A is an escaped *: a bare * in Include is a file wildcard that MSBuild expands (to nothing). -->
                <AdditionalPackage Include="sy1%2A;sy3%2A;sy5%2A" Variant="^Server$" Arch="*" />
                <AdditionalPackage Include="sy2%2A" Variant="^Workstation$" Arch="*" />
                <AdditionalPackage Include="sy%2A" Variant="^Everything$" Arch="*" />
                <!-- The synth packages hold no libraries, so multilib comes from the whitelist (i686 exists for spec 0). -->
                <Multilib Include="runtime;devel" Variant="^Server$" Arch="x86_64" />
                <MultilibWhitelist Include="sy1%2A" Arch="x86_64" />
              </ItemGroup>
              <Import Project="{sdk}/Sdk.targets" />
            </Project>
            """);
    }

    /// <summary>The "one variant changes" edit: Workstation's package globs grow, as a release engineer edits them.</summary>
    public void ChangeOneVariant()
    {
        var text = File.ReadAllText(ProjectPath);
        var edited = text.Replace("Include=\"sy2%2A\" Variant=\"^Workstation$\"", "Include=\"sy2%2A;sy4%2A\" Variant=\"^Workstation$\"", StringComparison.Ordinal);
        if (edited == text) throw new BenchException("the Workstation AdditionalPackage line was not found in " + ProjectPath);
        File.WriteAllText(ProjectPath, edited);
    }

    /// <summary>
    /// The "one RPM added" edit: a new noarch package (and its SRPM) lands in the package repository. File.Copy keeps
    /// the file's mtime (as cp -p, rsync -t or a download keeping Last-Modified do); <paramref name="freshMtime"/>
    /// stamps it now instead (plain cp). The RPM was built before the cold build, so the two differ for a
    /// timestamp-based up-to-date check.
    /// </summary>
    public void AddOneRpm(SynthRepo synth, bool freshMtime)
    {
        foreach (var rpm in synth.ExtraRpms)
        {
            var sub = Path.GetFileName(Path.GetDirectoryName(rpm)!);
            var to = Path.Combine(RepoDir, sub, Path.GetFileName(rpm));
            File.Copy(rpm, to, overwrite: true);
            File.SetLastWriteTimeUtc(to, freshMtime ? DateTime.UtcNow : File.GetLastWriteTimeUtc(rpm));
        }
    }

    public BuildResult Build(string scenario)
    {
        var binlog = Path.Combine(projectDir, $"build{++_builds}-{scenario}.binlog");
        var env = new Dictionary<string, string>
        {
            // One process: MSBuild in-proc, no reused node or build server outliving the measurement.
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        Console.WriteLine($"  build: {scenario}...");
        var m = Measured.Run(projectDir, env, "dotnet", "build", ProjectPath, "-nologo", "-nr:false", $"-m:{maxCpuCount}", "-tl:off",
            "-v:m", $"-bl:{binlog}", "-p:PungiBootstrapTasks=false", "-p:PungiTasksConfiguration=Release");
        if (m.ExitCode != 0) throw new BenchException($"the {scenario} build failed (binlog {binlog}):\n{m.Output}");
        var build = BinaryLog.ReadBuild(binlog);
        return new BuildResult(scenario, m, Phases(build), binlog, VariantSeconds(build, ChangedVariant), SolveSeconds(build, ChangedVariant));
    }

    /// <summary>The per-variant.arch phase targets that ran a task in the instances of <paramref name="variant"/>, summed.</summary>
    private static double VariantSeconds(Microsoft.Build.Logging.StructuredLogger.Build build, string variant)
        => build.FindChildrenRecursive<Target>(t => PhaseTargets.Contains(t.Name) && t.Name != "_PungiVariantArchPhases"
                && t.FindChild<Microsoft.Build.Logging.StructuredLogger.Task>() != null
                && t.Project?.GlobalProperties is { } props && props.TryGetValue("Variant", out var v) && v == variant)
            .Sum(t => (t.EndTime - t.StartTime).TotalSeconds);

    /// <summary>The depsolve times the Gather task logged for <paramref name="variant"/>'s arches, summed.</summary>
    private static double SolveSeconds(Microsoft.Build.Logging.StructuredLogger.Build build, string variant)
    {
        var line = new System.Text.RegularExpressions.Regex($@"^Gather {System.Text.RegularExpressions.Regex.Escape(variant)}\.\S+: .*, solved in ([0-9.]+) s");
        return build.FindChildrenRecursive<Message>(m => m.Parent is Microsoft.Build.Logging.StructuredLogger.Task { Name: "Gather" })
            .Select(m => line.Match(m.Text))
            .Where(x => x.Success)
            .Sum(x => double.Parse(x.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Target durations from the binlog. A target's own start/end exclude its DependsOnTargets (they log before it
    /// starts), so the phases do not double count, except _PungiVariantArchPhases: it is the fan-out wall time, which
    /// holds all LinkPackages and Createrepo instances. A target skipped as up to date has no task child and counts 0.
    /// </summary>
    private static List<PhaseTime> Phases(Microsoft.Build.Logging.StructuredLogger.Build build)
    {
        var targets = build.FindChildrenRecursive<Target>(t => PhaseTargets.Contains(t.Name));
        return PhaseTargets
            .Select(name =>
            {
                var all = targets.Where(t => t.Name == name).ToList();
                var ran = all.Where(t => t.FindChild<Microsoft.Build.Logging.StructuredLogger.Task>() != null).ToList();
                return new PhaseTime(name, ran.Sum(t => (t.EndTime - t.StartTime).TotalSeconds), ran.Count, all.Count);
            })
            .Where(p => p.Instances > 0)
            .ToList();
    }
}
