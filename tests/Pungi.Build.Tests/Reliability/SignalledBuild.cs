using System.Diagnostics;
using System.Security.Cryptography;
using Pungi.Build.Compose;
using Pungi.Build.Tests.Build;

namespace Pungi.Build.Tests.Reliability;

/// <summary>
/// A spawned <c>dotnet build</c> in its own process group (<c>setsid</c>), so a test can signal the whole tree —
/// the CLI, the MSBuild worker nodes (node reuse off) and the tools they run — as a terminal's Ctrl+C or an OOM
/// killer would. Its console lines are collected so a test can wait for a marker before it signals.
/// </summary>
internal sealed class SignalledBuild : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];

    private SignalledBuild(Process process) => _process = process;

    /// <summary>SOURCE_DATE_EPOCH fixes the ISO volume time and clamps file times, so two builds give equal images.</summary>
    public const string SourceDateEpoch = "1700000000";

    public static SignalledBuild Start(ComposeProject project, params string[] extraArgs)
    {
        // -f: always fork, so the build leads a new session and process group whatever our own group is;
        // -w: wait for it and pass its exit status on.
        var psi = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = project.Dir,
        };
        foreach (var a in new[] { "-f", "-w", "dotnet", "build", project.ProjectPath, "-nologo", "-nodeReuse:false", "-tl:off", "-v:m", "-p:PungiBootstrapTasks=false" })
            psi.ArgumentList.Add(a);
        foreach (var a in extraArgs) psi.ArgumentList.Add(a);
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        psi.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        psi.Environment["SOURCE_DATE_EPOCH"] = SourceDateEpoch;
        var p = Process.Start(psi)!;
        var build = new SignalledBuild(p);
        p.OutputDataReceived += (_, e) => build.Add(e.Data);
        p.ErrorDataReceived += (_, e) => build.Add(e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return build;
    }

    private int _group;

    /// <summary>The group of the build: the pid of setsid's child, which leads its own session and group.</summary>
    public int ProcessGroup
    {
        get
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (_group == 0)
            {
                var children = File.ReadAllText($"/proc/{_process.Id}/task/{_process.Id}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (children.Length > 0) _group = int.Parse(children[0], System.Globalization.CultureInfo.InvariantCulture);
                else if (DateTime.UtcNow > deadline || _process.HasExited) throw new IOException("the build's process is gone");
                else Thread.Sleep(10);
            }
            return _group;
        }
    }

    public string Output { get { lock (_lines) return string.Join('\n', _lines); } }

    private void Add(string? line)
    {
        if (line is null) return;
        lock (_lines)
        {
            _lines.Add(line);
            Monitor.PulseAll(_lines);
        }
    }

    /// <summary>A phase's high-importance progress line (DESIGN.md §5): "  Phase Variant.arch: …".</summary>
    public static bool IsProgressLine(string line)
        => line.Length > 3 && line.StartsWith("  ", StringComparison.Ordinal) && char.IsAsciiLetterUpper(line[2])
           && !line.Contains("warning ", StringComparison.Ordinal) && !line.Contains("error ", StringComparison.Ordinal);

    /// <summary>
    /// The progress lines a build printed while it worked: those before the run summary, whose table rows
    /// ("  Phase  Variant.arch  ran …") look the same but are printed after the compose is FINISHED.
    /// </summary>
    public static int CountProgressLines(string output)
        => output.Split('\n').TakeWhile(l => !l.Contains("Run summary of ", StringComparison.Ordinal)).Count(IsProgressLine);

    /// <summary>Waits until <paramref name="count"/> lines matching <paramref name="marker"/> were printed; false when the build ended first.</summary>
    public bool WaitFor(Func<string, bool> marker, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_lines)
        {
            while (true)
            {
                if (_lines.Count(marker) >= count) return true;
                if (_process.HasExited || DateTime.UtcNow > deadline) return false;
                Monitor.Wait(_lines, 50);
            }
        }
    }

    /// <summary>Sends <paramref name="signal"/> (KILL, INT, TERM) to every process of the build's group.</summary>
    public void SignalGroup(string signal)
    {
        int group;
        try { group = ProcessGroup; }
        catch (IOException) { return; } // already gone
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-s", signal, "--", "-" + group } })!;
        kill.WaitForExit();
    }

    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            SignalGroup("KILL");
            throw new TimeoutException($"the build did not end in {timeout}:\n{Output}");
        }
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Whether any process of the group is still alive (a leaked MSBuild node would keep the lock files open).</summary>
    public static bool GroupAlive(int group) => GroupMembers(group).Count > 0;

    public static List<string> GroupMembers(int group)
        => Directory.EnumerateDirectories("/proc").Where(d =>
        {
            var name = Path.GetFileName(d);
            if (!name.All(char.IsAsciiDigit)) return false;
            try
            {
                var stat = File.ReadAllText(Path.Combine(d, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                return fields[0] != "Z" && fields[2] == group.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (IOException) { return false; }
        }).Select(d => { try { return Path.GetFileName(d) + " " + File.ReadAllText(Path.Combine(d, "cmdline")).Replace('\0', ' '); } catch (IOException) { return d; } }).ToList();

    public void Dispose()
    {
        if (!_process.HasExited) SignalGroup("KILL");
        _process.Dispose();
    }
}

/// <summary>The content of a compose tree: relative path → SHA-256 (files) or "-> target" (symlinks).</summary>
internal static class ComposeTree
{
    /// <summary>
    /// Files whose bytes carry the time of the run by design, so two correct builds differ in them:
    /// the phase records (start and end times, DESIGN.md §8) and the productmd image records, whose <c>mtime</c>
    /// is the image file's modification time (productmd's images.json field; upstream records it the same way), and
    /// the report and phase-times.json built from the phase records, and the tree listings Createiso's Inputs read
    /// (<c>work/&lt;arch&gt;/stamps/Createiso-*.tree</c>: a hash of every path, size and mtime of the tree, so that a
    /// file written again wakes the phase), and the closing phases' caches, keyed by file identities (mtime, ctime,
    /// inode) by design (<c>work/global/*.cache</c>, <c>work/global/metadata-cache/</c>; src/Pungi.Build/Checksums/README.md),
    /// and Pkgset's run memo, which holds the header cache file's identity for the same reason (<c>work/global/pkgset/repos.memo</c>).
    /// </summary>
    public static bool IsTimeBearing(string relative)
        => relative.StartsWith("logs/global/phases/", StringComparison.Ordinal)
           || relative == "logs/global/phase-times.json" || relative == "compose/metadata/report.html"
           || relative == "compose/metadata/images.json"
           || (relative.StartsWith("work/", StringComparison.Ordinal) && relative.Contains("/createiso/", StringComparison.Ordinal) && relative.EndsWith(".json", StringComparison.Ordinal))
           || (relative.StartsWith("work/", StringComparison.Ordinal) && relative.Contains("/stamps/", StringComparison.Ordinal) && relative.EndsWith(".tree", StringComparison.Ordinal))
           || relative.StartsWith("work/global/metadata-cache/", StringComparison.Ordinal)
           || relative == "work/global/pkgset/repos.memo"
           || (relative.StartsWith("work/global/", StringComparison.Ordinal) && relative.EndsWith(".cache", StringComparison.Ordinal) && relative.Count(c => c == '/') == 2);

    public static SortedDictionary<string, string> Snapshot(string topdir, bool includeTimeBearing = false)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(topdir)) return result;
        foreach (var path in Directory.EnumerateFileSystemEntries(topdir, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var rel = Path.GetRelativePath(topdir, path).Replace('\\', '/');
            var info = new FileInfo(path);
            if (info.LinkTarget is { } target) { result[rel] = "-> " + target; continue; }
            if (Directory.Exists(path)) continue;
            if (!includeTimeBearing && IsTimeBearing(rel)) continue;
            using var fs = File.OpenRead(path);
            result[rel] = Convert.ToHexString(SHA256.HashData(fs));
        }
        return result;
    }

    public static List<string> TempFiles(string dir)
        => !Directory.Exists(dir) ? [] : Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Where(StaleTempFiles.IsTempFile).ToList();

    /// <summary>Human-readable differences between two snapshots (empty when equal).</summary>
    public static List<string> Diff(IReadOnlyDictionary<string, string> expected, IReadOnlyDictionary<string, string> actual)
    {
        var diff = new List<string>();
        foreach (var (k, v) in expected)
            if (!actual.TryGetValue(k, out var a)) diff.Add("missing " + k);
            else if (a != v) diff.Add("differs " + k);
        foreach (var k in actual.Keys)
            if (!expected.ContainsKey(k)) diff.Add("extra " + k);
        return diff;
    }

    /// <summary>Whether this process can take the compose lock now (the previous build released it).</summary>
    public static bool LockIsFree(string topdir)
    {
        try
        {
            using var _ = new FileStream(Path.Combine(topdir, ".compose.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return true;
        }
        catch (IOException) { return false; }
    }
}
