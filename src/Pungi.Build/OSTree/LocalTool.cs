using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.OSTree;

/// <summary>
/// Runs an external tool (ostree, git) as a local process: its output appended to a log file, a failure raised as a
/// coded error that quotes the log's last lines (issue #9, "bad input"). Deliberately small: the runroot abstraction
/// (local or Koji) belongs to the Runroot area; OSTree and ExtraFiles only ever run these tools locally.
/// </summary>
public static class LocalTool
{
    private const int QuotedLines = 10;

    /// <summary>Runs <paramref name="tool"/> and returns its stdout; throws <paramref name="errorCode"/> when it fails.</summary>
    public static string Run(string tool, IEnumerable<string> args, string? workingDirectory, string logFile, string errorCode,
        CancellationToken ct = default)
    {
        var argList = args.ToList();
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
        var commandLine = tool + " " + string.Join(' ', argList.Select(Quote));
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
            if (p.ExitCode != 0)
            {
                var tail = (stdout.ToString() + stderr.ToString()).Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(QuotedLines);
                throw new PungiException(errorCode,
                    $"{commandLine} exited with {p.ExitCode}; last lines of {logFile}:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", tail),
                    logFile);
            }
            return stdout.ToString();
        }
    }

    private static string Quote(string a) => a.Length > 0 && a.All(c => char.IsLetterOrDigit(c) || "-_./=:,+@%".Contains(c)) ? a : "'" + a.Replace("'", "'\\''") + "'";
}
