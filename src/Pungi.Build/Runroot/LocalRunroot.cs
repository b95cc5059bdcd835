using System.ComponentModel;
using System.Diagnostics;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Runroot;

/// <summary>
/// <c>runroot_method = local</c> (upstream <c>Runroot._run_local</c>: kobo's <c>run(cmd, show_cmd=True, logfile=…)</c>):
/// the command runs through <c>/bin/sh -c</c> on this machine, stdout and stderr into the log file after a
/// <c>COMMAND:</c> header. A non-zero exit, a timeout or a cancel ends in a <see cref="PungiException"/> that quotes
/// the log's last lines; the process tree is killed on timeout and cancel.
/// </summary>
public sealed class LocalRunroot : IRunroot
{
    /// <summary>The shell; upstream's kobo runs string commands with <c>shell=True</c>, i.e. <c>/bin/sh</c>.</summary>
    public string Shell { get; init; } = "/bin/sh";
    /// <summary>How many log lines an error quotes.</summary>
    public int TailLines { get; init; } = 20;

    public async Task RunAsync(RunrootRequest request, CancellationToken ct = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(request.LogFile))!);
        await using var log = new StreamWriter(new FileStream(request.LogFile, FileMode.Create, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
        await log.WriteAsync($"COMMAND: {request.Command}\n-----------------\n").ConfigureAwait(false);

        var psi = new ProcessStartInfo(Shell) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        // One stream, as upstream's kobo run (stderr=STDOUT): lines keep the order the command wrote them in, which two
        // separately read pipes cannot promise.
        psi.ArgumentList.Add("exec 2>&1; " + request.Command);
        foreach (var (k, v) in request.Environment) psi.Environment[k] = v;
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new PungiException(ErrorCodes.RunrootNotStarted, $"{Shell} did not start for: {request.Command}");
        }
        catch (Win32Exception e)
        {
            throw new PungiException(ErrorCodes.RunrootNotStarted, $"Cannot start {Shell} to run the {request.Arch} command ({e.Message}).");
        }
        using (process)
        {
            var gate = new object();
            void Append(string? line)
            {
                if (line is null) return;
                lock (gate) log.Write(line + "\n");
            }
            process.OutputDataReceived += (_, e) => Append(e.Data);
            process.ErrorDataReceived += (_, e) => Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            using var timeout = request.Timeout is { } t ? new CancellationTokenSource(t) : new CancellationTokenSource();
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
            try
            {
                await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                lock (gate) log.Flush();
                ct.ThrowIfCancellationRequested();
                throw new PungiException(ErrorCodes.RunrootTimeout,
                    $"The {request.Arch} runroot command ran longer than {request.Timeout!.Value.TotalSeconds:0} s and was killed; log {request.LogFile}:\n{LogTail.Read(request.LogFile, TailLines)}");
            }
            // WaitForExitAsync returns after the output streams closed, so the log is complete here.
            lock (gate) log.Flush();
            if (process.ExitCode != 0)
                throw new PungiException(ErrorCodes.RunrootCommandFailed,
                    $"The {request.Arch} runroot command exited with {process.ExitCode}; last lines of {request.LogFile}:\n{LogTail.Read(request.LogFile, TailLines)}");
        }
    }

    /// <summary>Upstream's local buildroot listing: <c>rpm -qa --qf='%{name}-%{version}-%{release}.%{arch}\n'</c>; empty without rpm.</summary>
    public async Task<IReadOnlyList<string>> BuildrootRpmsAsync(CancellationToken ct = default)
    {
        var psi = new ProcessStartInfo("rpm") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-qa", "--qf=%{name}-%{version}-%{release}.%{arch}\n" }) psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi);
            if (p is null) return [];
            var stdout = p.StandardOutput.ReadToEndAsync(ct);
            _ = p.StandardError.ReadToEndAsync(ct);
            await p.WaitForExitAsync(ct).ConfigureAwait(false);
            return p.ExitCode == 0 ? (await stdout.ConfigureAwait(false)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList() : [];
        }
        catch (Win32Exception)
        {
            return [];
        }
    }
}
