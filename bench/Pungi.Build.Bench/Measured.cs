using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Pungi.Build.Bench;

/// <summary>Wall time and peak RSS of one command, as <c>/usr/bin/time</c> reports them.</summary>
internal sealed record Measurement(double WallSeconds, long PeakRssKb, int ExitCode, string Output);

internal static class Measured
{
    /// <summary>
    /// Runs <paramref name="command"/> under <c>/usr/bin/time -f "%e %M"</c>. %M is getrusage's ru_maxrss: the peak
    /// resident set of the largest single process of the tree (not a sum), which is the dotnet build process itself
    /// when MSBuild runs in-proc (-m:1 -nr:false).
    /// </summary>
    public static Measurement Run(string workDir, IReadOnlyDictionary<string, string>? env, string command, params string[] args)
    {
        var timeFile = Path.Combine(Path.GetTempPath(), $"pungi-bench-{Guid.NewGuid():N}.time");
        var psi = new ProcessStartInfo("/usr/bin/time")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workDir,
        };
        foreach (var a in new[] { "-f", "%e %M", "-o", timeFile, command }.Concat(args)) psi.ArgumentList.Add(a);
        if (env != null) foreach (var (k, v) in env) psi.Environment[k] = v;
        var output = new StringBuilder();
        using var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        p.WaitForExit();
        // time writes "Command exited with non-zero status N" before the format line when the command fails.
        var last = File.ReadAllLines(timeFile).Last(l => l.Length > 0).Split(' ');
        File.Delete(timeFile);
        return new Measurement(
            double.Parse(last[0], CultureInfo.InvariantCulture),
            long.Parse(last[1], CultureInfo.InvariantCulture),
            p.ExitCode,
            output.ToString());
    }

    /// <summary>Runs a preparation step (not measured); fails the benchmark when it fails.</summary>
    public static void Check(string workDir, IReadOnlyDictionary<string, string>? env, string command, params string[] args)
    {
        var m = Run(workDir, env, command, args);
        if (m.ExitCode != 0)
            throw new BenchException($"`{command} {string.Join(' ', args)}` failed with exit code {m.ExitCode}:\n{m.Output}");
    }
}

internal sealed class BenchException(string message) : Exception(message);
