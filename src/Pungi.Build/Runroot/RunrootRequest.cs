namespace Pungi.Build.Runroot;

/// <summary>
/// One command to run for an arch (spec §8.3, upstream <c>pungi/runroot.py</c> <c>Runroot.run</c>): a shell command
/// line, its log file (upstream's <c>log_file(arch, name)</c>, e.g. <c>logs/x86_64/buildinstall-Server.x86_64.log</c>),
/// and what a Koji runroot needs besides (packages to install in the buildroot, directories to mount, a weight, the
/// paths to chown back to the compose's user afterwards).
/// </summary>
public sealed record RunrootRequest
{
    /// <summary>The command as one shell string (upstream builds it with <c>shlex_quote</c>; run with <c>--use-shell</c>).</summary>
    public required string Command { get; init; }
    /// <summary>The tree arch; Koji runs the task on its base arch.</summary>
    public required string Arch { get; init; }
    /// <summary>Where the command's output (stdout and stderr) goes.</summary>
    public required string LogFile { get; init; }
    /// <summary>Packages the buildroot must have (<c>--package</c>); ignored locally.</summary>
    public IReadOnlyList<string> Packages { get; init; } = [];
    /// <summary>Directories mounted read-write in the buildroot (<c>--mount</c>, the compose topdir); ignored locally.</summary>
    public IReadOnlyList<string> Mounts { get; init; } = [];
    /// <summary><c>runroot_weights[phase]</c>; ignored locally.</summary>
    public double? Weight { get; init; }
    /// <summary>Paths made readable and chowned to the caller after the command (Koji only: the task runs as root).</summary>
    public IReadOnlyList<string> ChownPaths { get; init; } = [];
    /// <summary>Kill the command after this long (local only; a Koji task is bounded by the hub).</summary>
    public TimeSpan? Timeout { get; init; }
    /// <summary>Extra environment variables for the local process.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}

/// <summary>Runs <see cref="RunrootRequest"/>s: locally, or as Koji runroot tasks.</summary>
public interface IRunroot
{
    /// <summary>Runs the command; throws <see cref="Diagnostics.PungiException"/> quoting the log's last lines when it fails.</summary>
    Task RunAsync(RunrootRequest request, CancellationToken ct = default);

    /// <summary>
    /// The NVRAs of the buildroot the last command ran in (upstream <c>get_buildroot_rpms</c>), for
    /// <c>logs/&lt;arch&gt;/buildinstall-&lt;V&gt;-RPMs.&lt;arch&gt;.log</c>.
    /// </summary>
    Task<IReadOnlyList<string>> BuildrootRpmsAsync(CancellationToken ct = default);
}
