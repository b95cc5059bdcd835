using System.Diagnostics;
using System.Text;
using Microsoft.Build.Logging.StructuredLogger;

namespace Pungi.Build.Tests.Build;

/// <summary>
/// A throw-away composeproj tree in a temp folder, built with a spawned <c>dotnet build -nr:false -bl</c> exactly as a
/// user runs it (node reuse off: a reused node would keep a stale task DLL). The binlog is kept when a test fails.
/// </summary>
internal sealed class ComposeProject : IDisposable
{
    private int _builds;

    public ComposeProject(string name = "distro")
    {
        Dir = Path.Combine(Path.GetTempPath(), "pungi-tests", $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]);
        Directory.CreateDirectory(Dir);
        ProjectPath = Path.Combine(Dir, name + ".composeproj");
    }

    public string Dir { get; }
    public string ProjectPath { get; }

    /// <summary>Extra environment of the spawned builds (e.g. SOURCE_DATE_EPOCH for byte-comparable ISOs).</summary>
    public Dictionary<string, string> Environment { get; } = [];

    /// <summary>Writes the composeproj: <paramref name="body"/> goes between the SDK imports.</summary>
    public void WriteProject(string body)
    {
        var targets = Path.Combine(TestPaths.RepoRoot, "targets", "Sdk");
        File.WriteAllText(ProjectPath,
            $"""
            <Project>
              <Import Project="{targets}/Sdk.props" />
            {body}
              <Import Project="{targets}/Sdk.targets" />
            </Project>
            """);
    }

    public string Write(string relativePath, string content)
    {
        var path = Path.Combine(Dir, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Runs <c>dotnet build</c>; the tests use the task DLL the test project already built (no bootstrap).</summary>
    public BuildRun Build(params string[] extraArgs)
    {
        int n = Interlocked.Increment(ref _builds);
        var binlog = Path.Combine(Dir, $"build{n}.binlog");
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Dir,
        };
        foreach (var a in new[] { "build", ProjectPath, "-nologo", "-nr:false", "-tl:off", "-v:m", $"-bl:{binlog}", "-p:PungiBootstrapTasks=false" })
            psi.ArgumentList.Add(a);
        foreach (var a in extraArgs) psi.ArgumentList.Add(a);
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        psi.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        foreach (var (name, value) in Environment) psi.Environment[name] = value;
        var output = new StringBuilder();
        using var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet build of {ProjectPath} did not finish in 5 minutes:\n{output}");
        }
        p.WaitForExit();
        return new BuildRun(p.ExitCode, output.ToString(), binlog);
    }

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>The outcome of one spawned build: exit code, console output and what the binlog says ran.</summary>
internal sealed class BuildRun(int exitCode, string output, string binlog)
{
    private Microsoft.Build.Logging.StructuredLogger.Build? _build;

    public int ExitCode { get; } = exitCode;
    public string Output { get; } = output;
    public string BinlogPath { get; } = binlog;

    public Microsoft.Build.Logging.StructuredLogger.Build Log => _build ??= BinaryLog.ReadBuild(BinlogPath);

    /// <summary>
    /// Every target instance of the given names, with the variant and arch of its project instance and whether a task
    /// ran in it (a target skipped as up to date has no task child).
    /// </summary>
    public List<TargetRun> Targets(params string[] names)
        => Log.FindChildrenRecursive<Target>(t => names.Length == 0 || names.Contains(t.Name))
            .Select(t => new TargetRun(
                t.Name,
                Prop(t.Project, "Variant"),
                Prop(t.Project, "Arch"),
                t.FindChild<Microsoft.Build.Logging.StructuredLogger.Task>() != null,
                t.StartTime,
                t.EndTime))
            .ToList();

    public List<TargetRun> Ran(params string[] names) => Targets(names).Where(t => t.Ran).ToList();

    public string Describe() => $"exit {ExitCode}, binlog {BinlogPath}\n{Output}";

    private static string? Prop(Project? project, string name)
        => project?.GlobalProperties != null && project.GlobalProperties.TryGetValue(name, out var v) ? v : null;
}

internal sealed record TargetRun(string Name, string? Variant, string? Arch, bool Ran, DateTime Start, DateTime End)
{
    public string Instance => Variant == null ? Name : $"{Name}:{Variant}.{Arch}";
}
