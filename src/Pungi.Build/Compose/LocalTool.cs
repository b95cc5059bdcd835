using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Compose;

/// <summary>
/// Runs an external tool (ostree, git, dnf) as a local process: its output appended to a log file, a failure raised as a
/// coded error that quotes the log's last lines (issue #9, "bad input"). Deliberately small: the runroot abstraction
/// (local or Koji) belongs to the Runroot area; OSTree, ExtraFiles and Repoclosure's dnf backend only ever run these tools locally.
/// </summary>
public static class LocalTool
{
    private const int QuotedLines = 10;

    /// <summary>Runs <paramref name="tool"/> and returns its stdout; throws <paramref name="errorCode"/> when it fails.</summary>
    public static string Run(string tool, IEnumerable<string> args, string? workingDirectory, string logFile, string errorCode,
        CancellationToken ct = default)
    {
        var argList = args.ToList();
        var (exit, stdout, stderr) = Execute(tool, argList, workingDirectory, logFile, errorCode, ct);
        if (exit != 0) throw Failure(errorCode, tool, argList, exit, stdout + stderr, logFile);
        return stdout;
    }

    /// <summary>
    /// Runs <paramref name="tool"/> and returns its exit code and stdout, for tools whose non-zero exit is a finding
    /// (dnf repoclosure exits 1 on breakage); only a tool that cannot start throws <paramref name="errorCode"/>.
    /// </summary>
    public static (int ExitCode, string Stdout) RunAllowingFailure(string tool, IEnumerable<string> args, string? workingDirectory,
        string logFile, string errorCode, CancellationToken ct = default)
    {
        var (exit, stdout, _) = Execute(tool, args.ToList(), workingDirectory, logFile, errorCode, ct);
        return (exit, stdout);
    }

    /// <summary>The coded error for a failed run: the command, its exit code and the last lines of its output.</summary>
    public static PungiException Failure(string errorCode, string tool, IEnumerable<string> args, int exitCode, string output, string logFile)
    {
        var tail = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(QuotedLines);
        return new PungiException(errorCode,
            $"{CommandLine(tool, args)} exited with {exitCode}; last lines of {logFile}:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", tail),
            logFile);
    }

    private static (int ExitCode, string Stdout, string Stderr) Execute(string tool, List<string> argList, string? workingDirectory,
        string logFile, string errorCode, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in argList) psi.ArgumentList.Add(a);
        // git must never stop to ask for credentials inside a build.
        psi.Environment["GIT_TERMINAL_PROMPT"] = "0";
        psi.Environment["LC_ALL"] = "C";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logFile))!);
        var commandLine = CommandLine(tool, argList);
        File.AppendAllText(logFile, "$ " + commandLine + "\n");
        Process p;
        try
        {
            p = Process.Start(psi) ?? throw new Win32Exception($"{tool} did not start");
        }
        catch (Win32Exception e)
        {
            File.AppendAllText(logFile, e.Message + "\n");
            throw new PungiException(errorCode, $"{tool} could not be started ({e.Message}); is it installed? Command: {commandLine}", logFile);
        }
        using (p)
        {
            var stdout = new StringBuilder();
            var stderr = new StringBuilder();
            p.OutputDataReceived += (_, e) => { if (e.Data != null) lock (stdout) stdout.AppendLine(e.Data); };
            p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (stderr) stderr.AppendLine(e.Data); };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            using (ct.Register(() => { try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } }))
                p.WaitForExit();
            p.WaitForExit();
            ct.ThrowIfCancellationRequested();
            File.AppendAllText(logFile, stdout.ToString() + stderr.ToString() + $"[exit {p.ExitCode}]\n");
            return (p.ExitCode, stdout.ToString(), stderr.ToString());
        }
    }

    private static string CommandLine(string tool, IEnumerable<string> args) => tool + " " + string.Join(' ', args.Select(Quote));

    private static string Quote(string a) => a.Length > 0 && a.All(c => char.IsLetterOrDigit(c) || "-_./=:,+@%".Contains(c)) ? a : "'" + a.Replace("'", "'\\''") + "'";
}
