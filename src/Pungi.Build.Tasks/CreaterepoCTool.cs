using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Tasks;

/// <summary>What one createrepo_c run is asked to do (spec §2.6, the options Pungi.Build carries).</summary>
public sealed record CreaterepoCRequest
{
    public required string RepoDir { get; init; }
    public required string PackageListFile { get; init; }
    /// <summary>The variant comps; upstream passes it for rpm units only, and only when the comps file exists.</summary>
    public string? GroupFile { get; init; }
    public string Checksum { get; init; } = "sha256";
    public bool Database { get; init; }
    public int Workers { get; init; } = 3;
    /// <summary>gz (createrepo_c's default, no option), xz (<c>--xz</c>, as upstream's <c>createrepo_use_xz</c>), or another name.</summary>
    public string Compression { get; init; } = "gz";
}

/// <summary>
/// The <c>createrepo_c</c> backend of the Createrepo phase: upstream's command line (spec §2.6) run as an external tool
/// whose output goes to the unit's log file, killed when the build is cancelled.
/// </summary>
public static class CreaterepoCTool
{
    public const string DefaultExecutable = "createrepo_c";

    /// <summary>
    /// Upstream's argument order: <c>&lt;repo&gt; --outputdir=&lt;repo&gt; --pkglist=&lt;list&gt; [--groupfile=&lt;comps&gt;] --update
    /// --skip-stat (--database|--no-database) --checksum=&lt;c&gt; --unique-md-filenames --workers=&lt;n&gt; [--xz]</c>.
    /// Left out: <c>--cachedir</c>, <c>--update-md-path</c>, deltas and extra args, which Pungi.Build does not configure.
    /// </summary>
    public static IReadOnlyList<string> Arguments(CreaterepoCRequest r)
    {
        var args = new List<string> { r.RepoDir, "--outputdir=" + r.RepoDir, "--pkglist=" + r.PackageListFile };
        if (r.GroupFile is not null) args.Add("--groupfile=" + r.GroupFile);
        args.Add("--update");
        args.Add("--skip-stat");
        args.Add(r.Database ? "--database" : "--no-database");
        args.Add("--checksum=" + r.Checksum);
        args.Add("--unique-md-filenames");
        args.Add("--workers=" + r.Workers.ToString(CultureInfo.InvariantCulture));
        switch (r.Compression)
        {
            case "" or "gz" or "gzip":
                break;
            case "xz":
                args.Add("--xz");
                break;
            default:
                // Not an upstream option of Pungi; createrepo_c itself rejects what it cannot write (zstd on 0.17).
                args.Add("--general-compress-type=" + r.Compression);
                break;
        }
        return args;
    }

    /// <summary>
    /// Runs one createrepo_c unit. createrepo_c works in <c>&lt;outputdir&gt;/.repodata/</c> and refuses to start when that
    /// directory exists ("Another createrepo process is running?"); one repo dir belongs to one variant.arch instance, so a
    /// leftover is from a killed run: it is removed before the run, and after a cancelled one.
    /// </summary>
    public static void Run(CreaterepoCRequest request, string logFile, CancellationToken cancellationToken, string executable = DefaultExecutable)
    {
        RemoveTemporaryRepodata(request.RepoDir);
        try
        {
            Run(Arguments(request), logFile, cancellationToken, executable);
        }
        catch (OperationCanceledException)
        {
            RemoveTemporaryRepodata(request.RepoDir);
            throw;
        }
    }

    /// <summary>createrepo_c's work directory inside the output directory.</summary>
    public static string TemporaryRepodata(string repoDir) => Path.Combine(repoDir, ".repodata");

    private static void RemoveTemporaryRepodata(string repoDir)
    {
        var dir = TemporaryRepodata(repoDir);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }

    /// <summary>
    /// Runs the tool with stdout and stderr appended to <paramref name="logFile"/> (created fresh, command line first).
    /// A tool that cannot be started → <see cref="ErrorCodes.CreaterepoCNotFound"/>; a non-zero exit →
    /// <see cref="ErrorCodes.CreaterepoCFailed"/> naming the log; cancellation kills the process tree.
    /// </summary>
    public static void Run(IReadOnlyList<string> arguments, string logFile, CancellationToken cancellationToken, string executable = DefaultExecutable)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logFile))!);
        using var log = new StreamWriter(logFile, append: false) { AutoFlush = true };
        log.WriteLine("$ " + string.Join(' ', new[] { executable }.Concat(arguments).Select(Quote)));
        var psi = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new Win32Exception($"{executable} did not start");
        }
        catch (Win32Exception e)
        {
            log.WriteLine($"cannot start {executable}: {e.Message}");
            throw new PungiException(ErrorCodes.CreaterepoCNotFound,
                $"CreaterepoBackend=createrepo_c but '{executable}' cannot be run ({e.Message}); install createrepo-c (apt/dnf) or use CreaterepoBackend=native.");
        }
        using (process)
        {
            var gate = new object();
            process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (gate) log.WriteLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (gate) log.WriteLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using (cancellationToken.Register(() => Kill(process)))
                process.WaitForExit();
            cancellationToken.ThrowIfCancellationRequested();
            lock (gate) log.WriteLine($"exit code {process.ExitCode}");
            if (process.ExitCode != 0)
                throw new PungiException(ErrorCodes.CreaterepoCFailed,
                    $"{executable} failed (exit code {process.ExitCode}) for {arguments[0]}; see {logFile}.");
        }
    }

    private static void Kill(Process process)
    {
        try { process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { } // already exited
        catch (Win32Exception) { }
    }

    private static string Quote(string s)
        => s.Length > 0 && s.All(c => char.IsLetterOrDigit(c) || "-_=./,:+@".Contains(c)) ? s : "'" + s.Replace("'", "'\\''") + "'";
}
