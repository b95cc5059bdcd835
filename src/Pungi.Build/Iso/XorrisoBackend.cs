using System.Diagnostics;
using System.Globalization;
using System.Text;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Iso;

/// <summary>What the xorriso backend writes: one disc from a graft-points file.</summary>
public sealed record XorrisoRequest
{
    public required string Arch { get; init; }
    public required string VolumeId { get; init; }
    /// <summary><c>iso_path=fs_path</c> lines (see <see cref="XorrisoBackend.GraftPoints"/>).</summary>
    public required string GraftPointsFile { get; init; }
    public required string Output { get; init; }
    public int? IsoLevel { get; init; }
    public bool Bootable { get; init; }
    public bool PpcHfsCompatible { get; init; } = true;
    public bool SupportedIso { get; init; }
}

/// <summary>
/// <c>IsoBackend=xorriso</c>: upstream's script lines (spec §7.4) with <c>createiso_use_xorrisofs</c>:
/// <c>xorrisofs [-iso-level N] -untranslated-filenames -volid V -J -joliet-long -rational-rock [-input-charset utf-8]
/// -x ./lost+found [boot args] -o ISO -graft-points -path-list GP</c>, <c>isohybrid [--uefi]</c> on bootable x86, then
/// <c>implantisomd5 [--supported-iso]</c>. (Upstream 4.3.6 replays lorax's boot.iso boot setup with
/// <c>xorriso -boot_image any replay</c> when it has one; this backend always passes the mkisofs boot options.)
/// </summary>
public static class XorrisoBackend
{
    /// <summary>The commands, in order (tool, arguments), for logs and tests.</summary>
    public static List<(string Tool, List<string> Args)> Commands(XorrisoRequest r)
    {
        var args = new List<string>();
        if (r.IsoLevel is { } level) args.AddRange(["-iso-level", level.ToString(CultureInfo.InvariantCulture)]);
        args.AddRange(["-untranslated-filenames", "-volid", r.VolumeId, "-J", "-joliet-long", "-rational-rock"]);
        if (r.Arch is not ("ppc" or "ppc64" or "ppc64le")) args.AddRange(["-input-charset", "utf-8"]);
        args.AddRange(["-x", "./lost+found"]);
        if (r.Bootable) args.AddRange(IsoBootArgs.Mkisofs(r.Arch, r.PpcHfsCompatible));
        args.AddRange(["-o", r.Output, "-graft-points", "-path-list", r.GraftPointsFile]);
        var commands = new List<(string, List<string>)> { ("xorrisofs", args) };
        var (hybrid, uefi) = IsoBootArgs.Isohybrid(r.Arch);
        if (r.Bootable && hybrid) commands.Add(("isohybrid", uefi ? ["--uefi", r.Output] : [r.Output]));
        commands.Add(("implantisomd5", r.SupportedIso ? ["--supported-iso", r.Output] : [r.Output]));
        return commands;
    }

    /// <summary>Runs <see cref="Commands"/>; returns their combined output (for the log). A failing tool is PUNGI5014.</summary>
    public static string Run(XorrisoRequest r, CancellationToken ct = default)
    {
        var log = new StringBuilder();
        foreach (var (tool, args) in Commands(r))
            log.Append(tool).Append(' ').AppendJoin(' ', args).Append('\n').Append(RunTool(tool, args, Path.GetDirectoryName(Path.GetFullPath(r.Output))!, ct));
        return log.ToString();
    }

    /// <summary>
    /// The graft-points file of spec §7.4 for one disc: the tree (or only <paramref name="only"/>, a split disc's files)
    /// overlaid by <paramref name="overlay"/> (the staging dir; it wins), boot-relevant paths first (<c>images/</c>,
    /// <c>isolinux/</c>, <c>EFI/</c>, <c>etc/</c>, <c>ppc/</c>, <c>*.img</c>, <c>*.ins</c>), then other files, RPMs
    /// last, each group ordinal-sorted; <c>lost+found</c> and <c>boot.iso</c> left out; empty directories of the whole
    /// tree as <c>dir/=dir</c>.
    /// </summary>
    public static string GraftPoints(string tree, IEnumerable<(string IsoPath, string FileSystemPath)>? overlay = null, IReadOnlyList<string>? only = null)
    {
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (only is null)
        {
            foreach (var file in Directory.EnumerateFiles(tree, "*", SearchOption.AllDirectories))
                map[Path.GetRelativePath(tree, file).Replace('\\', '/')] = file;
            foreach (var dir in Directory.EnumerateDirectories(tree, "*", SearchOption.AllDirectories))
                if (!Directory.EnumerateFileSystemEntries(dir).Any())
                    map[Path.GetRelativePath(tree, dir).Replace('\\', '/') + "/"] = dir;
        }
        else
            foreach (var p in only) map[p] = Path.Combine(tree, p);
        foreach (var (isoPath, fs) in overlay ?? []) map[isoPath] = fs;
        static bool Excluded(string p) => p.Split('/').Contains("lost+found") || p.EndsWith("boot.iso", StringComparison.Ordinal);
        static int Group(string p) =>
            p.StartsWith("images/", StringComparison.Ordinal) || p.StartsWith("isolinux/", StringComparison.Ordinal) || p.StartsWith("EFI/", StringComparison.Ordinal)
            || p.StartsWith("etc/", StringComparison.Ordinal) || p.StartsWith("ppc/", StringComparison.Ordinal) || p.EndsWith(".img", StringComparison.Ordinal) || p.EndsWith(".ins", StringComparison.Ordinal)
                ? 0 : p.EndsWith(".rpm", StringComparison.Ordinal) ? 2 : 1;
        var sb = new StringBuilder();
        foreach (var (p, fs) in map.Where(kv => !Excluded(kv.Key)).OrderBy(kv => Group(kv.Key)).ThenBy(kv => kv.Key, StringComparer.Ordinal))
            sb.Append(p).Append('=').Append(fs.TrimEnd('/')).Append('\n');
        return sb.ToString();
    }

    /// <summary>Runs one tool, output captured; killed on cancellation; non-zero exit or a missing tool is PUNGI5014.</summary>
    public static string RunTool(string tool, IReadOnlyList<string> args, string workingDirectory, CancellationToken ct = default)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var output = new StringBuilder();
        Process p;
        try
        {
            p = Process.Start(psi) ?? throw new PungiException(ErrorCodes.IsoToolFailed, $"{tool} did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new PungiException(ErrorCodes.IsoToolFailed, $"{tool} is not on PATH ({e.Message}); install it (xorriso, syslinux-utils, isomd5sum, createrepo-c) or use the native backend.");
        }
        using (p)
        {
            p.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
            p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            using (ct.Register(() => { try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } }))
                p.WaitForExit();
            ct.ThrowIfCancellationRequested();
            if (p.ExitCode != 0)
                throw new PungiException(ErrorCodes.IsoToolFailed, $"{tool} {string.Join(' ', args)} exited with {p.ExitCode}:\n{output.ToString().Trim()}");
        }
        return output.ToString();
    }
}
