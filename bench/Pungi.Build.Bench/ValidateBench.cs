using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Build.Logging.StructuredLogger;

namespace Pungi.Build.Bench;

/// <summary>
/// bench/run.sh --validate: <c>dotnet build samples/dummy-product/dummy-product.composeproj -t:Validate -nr:false</c>,
/// each run a cold MSBuild process, split by its binlog into what MSBuild costs (process start, evaluations, restore)
/// and what our targets and tasks cost (issue 12: Validate under 1 s). Timings are reported, never asserted.
/// </summary>
internal static class ValidateBench
{
    /// <summary>Validate's own targets (Validate.targets, Pungi.Build.targets, the repository's bootstrap).</summary>
    private static readonly string[] OurTargets = ["_PungiRestoreTasks", "PungiBuildTasks", "_PungiValidateSettings", "Validate"];
    private static readonly string[] OurTasks = ["ValidateSettings", "ValidateCompose"];

    private sealed record ValidateRun(double Wall, double Build, double Evaluation, int Evaluations, double Restore, double OurTargets, double OurTasks,
        Dictionary<string, double> Targets, Dictionary<string, double> Tasks);

    public static void Run(string repoRoot, string bench, int runs, bool readyToRun)
    {
        var project = Path.Combine(repoRoot, "samples", "dummy-product", "dummy-product.composeproj");
        var outDir = Directory.CreateDirectory(Path.Combine(bench, "out", "validate")).FullName;
        Console.WriteLine($"Building the task DLL (Release, PungiReadyToRun={readyToRun.ToString().ToLowerInvariant()})...");
        Measured.Check(repoRoot, null, "dotnet", "build", Path.Combine(repoRoot, "src", "Pungi.Build.Tasks", "Pungi.Build.Tasks.csproj"),
            "-c", "Release", "-nologo", "-v:q", "-nr:false", $"-p:PungiReadyToRun={readyToRun.ToString().ToLowerInvariant()}");

        var env = new Dictionary<string, string>
        {
            // One process per run: MSBuild in-proc, no reused node or build server that would be warm.
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        var results = new List<ValidateRun>();
        // Run 0 warms the page cache (SDK, task DLLs) and is not counted; every run is still a new process.
        for (int i = 0; i <= runs; i++)
        {
            var binlog = Path.Combine(outDir, $"validate{i}.binlog");
            var m = Measured.Run(Path.GetDirectoryName(project)!, env, "dotnet", "build", project, "-t:Validate", "-nologo", "-nr:false",
                "-tl:off", "-v:m", $"-bl:{binlog}", "-p:PungiBootstrapTasks=false", "-p:PungiTasksConfiguration=Release");
            if (m.ExitCode != 0) throw new BenchException($"Validate failed (binlog {binlog}):\n{m.Output}");
            if (i > 0) results.Add(Read(binlog, m.WallSeconds));
        }

        var report = Render(results, readyToRun);
        Console.WriteLine();
        Console.WriteLine(report);
        var name = readyToRun ? "validate" : "validate-il";
        File.WriteAllText(Path.Combine(bench, "out", name + ".md"), report);
        File.WriteAllText(Path.Combine(bench, "out", name + ".json"), JsonSerializer.Serialize(new
        {
            project, readyToRun, runs = results, cores = Environment.ProcessorCount,
        }, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"JSON: {Path.Combine(bench, "out", name + ".json")}");
    }

    /// <summary>
    /// A target's own start/end exclude its DependsOnTargets (they run before it starts), so the targets do not double
    /// count. Evaluation is every project evaluation of the run (the restore pass evaluates once more).
    /// </summary>
    private static ValidateRun Read(string binlog, double wall)
    {
        var build = BinaryLog.ReadBuild(binlog);
        double Seconds(TimedNode n) => (n.EndTime - n.StartTime).TotalSeconds;
        var targets = OurTargets.ToDictionary(t => t, t => build.FindChildrenRecursive<Target>(x => x.Name == t).Sum(Seconds));
        var tasks = OurTasks.ToDictionary(t => t, t => build.FindChildrenRecursive<Microsoft.Build.Logging.StructuredLogger.Task>(x => x.Name == t).Sum(Seconds));
        var evaluations = build.FindChildrenRecursive<ProjectEvaluation>();
        double evaluation = evaluations.Sum(Seconds);
        double restore = build.FindChildrenRecursive<Target>(x => x.Name == "Restore").Sum(Seconds);
        return new ValidateRun(wall, Seconds(build), evaluation, evaluations.Count, restore, targets.Values.Sum(), tasks.Values.Sum(), targets, tasks);
    }

    private static string Render(List<ValidateRun> runs, bool readyToRun)
    {
        static string Ms(double s) => (s * 1000).ToString("0", CultureInfo.InvariantCulture);
        static double Median(IEnumerable<double> xs)
        {
            var a = xs.Order().ToArray();
            return a.Length == 0 ? 0 : a.Length % 2 == 1 ? a[a.Length / 2] : (a[a.Length / 2 - 1] + a[a.Length / 2]) / 2;
        }
        double load = File.Exists("/proc/loadavg")
            ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture) : double.NaN;
        var sb = new StringBuilder();
        sb.AppendLine($"Validate on a cold process: samples/dummy-product, {runs.Count} runs, task DLL {(readyToRun ? "ReadyToRun" : "IL only")}, " +
                      $"{Environment.ProcessorCount} cores, load average {load.ToString("0.0", CultureInfo.InvariantCulture)} (ms, median)");
        sb.AppendLine();
        sb.AppendLine("| what | ms | whose |");
        sb.AppendLine("| --- | ---: | --- |");
        sb.AppendLine($"| wall, `dotnet build -t:Validate -nr:false` | {Ms(Median(runs.Select(r => r.Wall)))} | all |");
        sb.AppendLine($"| CLI start before MSBuild logs (wall - build) | {Ms(Median(runs.Select(r => r.Wall - r.Build)))} | dotnet/MSBuild |");
        sb.AppendLine($"| build as MSBuild logs it | {Ms(Median(runs.Select(r => r.Build)))} | both |");
        sb.AppendLine($"| {runs[0].Evaluations} project evaluations (restore pass + build) | {Ms(Median(runs.Select(r => r.Evaluation)))} | MSBuild (our .targets are parsed here) |");
        // Rows that are 0 in every run (the Restore target and the repository's bootstrap targets, off here as with
        // the packed SDK) are left out.
        if (runs.Any(r => r.Restore > 0))
            sb.AppendLine($"| Restore target | {Ms(Median(runs.Select(r => r.Restore)))} | MSBuild |");
        foreach (var t in OurTargets.Where(t => runs.Any(r => r.Targets[t] > 0)))
            sb.AppendLine($"| target {t} | {Ms(Median(runs.Select(r => r.Targets[t])))} | ours |");
        foreach (var t in OurTasks)
            sb.AppendLine($"| task {t} (inside its target) | {Ms(Median(runs.Select(r => r.Tasks[t])))} | ours |");
        sb.AppendLine($"| **our targets, total** | **{Ms(Median(runs.Select(r => r.OurTargets)))}** | ours (goal: well under 1000) |");
        sb.AppendLine();
        sb.AppendLine("Per run (wall / our targets): " + string.Join(", ", runs.Select(r => $"{Ms(r.Wall)}/{Ms(r.OurTargets)}")));
        return sb.ToString();
    }
}
