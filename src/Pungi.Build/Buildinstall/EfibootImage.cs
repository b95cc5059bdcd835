using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Buildinstall;

/// <summary>
/// The boot configs inside <c>images/efiboot.img</c> (a FAT image) replaced by the rewritten ones from the tree, as
/// upstream's <c>tweak_buildinstall</c> does through a mount. Here through mtools (<c>mdir</c> to test, <c>mcopy -o</c>
/// to replace), never a loop mount: it needs no privileges. Only configs present both in the image and in the tree
/// are replaced, as upstream copies a config only where the image has one.
/// </summary>
public static class EfibootImage
{
    /// <summary>Returns the configs replaced inside the image.</summary>
    public static List<string> UpdateConfigs(string image, string tree, CancellationToken ct = default)
    {
        var replaced = new List<string>();
        foreach (var rel in BootConfigs.Paths)
        {
            var source = Path.Combine(tree, rel);
            if (!File.Exists(source)) continue;
            var inImage = "::/" + rel;
            // mdir exits non-zero when the path is not in the image.
            if (Run("mdir", ["-b", "-i", image, inImage], allowFailure: true, null, ct) != 0) continue;
            Run("mcopy", ["-o", "-i", image, source, inImage], allowFailure: false, null, ct);
            replaced.Add(rel);
        }
        return replaced;
    }

    /// <summary>The text of a file inside the image (<c>mtype</c>), for checks.</summary>
    public static string ReadFile(string image, string relPath)
    {
        var output = new StringBuilder();
        Run("mtype", ["-i", image, "::/" + relPath], allowFailure: false, output, CancellationToken.None);
        return output.ToString();
    }

    private static int Run(string tool, IReadOnlyList<string> args, bool allowFailure, StringBuilder? stdout, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        // An image without a partition table has no geometry mtools can check; lorax's efiboot.img is such an image.
        psi.Environment["MTOOLS_SKIP_CHECK"] = "1";
        Process? p;
        try
        {
            p = Process.Start(psi);
        }
        catch (Win32Exception e)
        {
            throw new PungiException(ErrorCodes.BuildinstallEfibootFailed, $"{tool} cannot run ({e.Message}); install mtools to update images/efiboot.img.");
        }
        if (p is null) throw new PungiException(ErrorCodes.BuildinstallEfibootFailed, $"{tool} did not start.");
        using (p)
        {
            var o = p.StandardOutput.ReadToEndAsync(ct);
            var e = p.StandardError.ReadToEndAsync(ct);
            p.WaitForExit();
            ct.ThrowIfCancellationRequested();
            stdout?.Append(o.Result);
            if (p.ExitCode != 0 && !allowFailure)
                throw new PungiException(ErrorCodes.BuildinstallEfibootFailed,
                    $"{tool} {string.Join(' ', args)} exited with {p.ExitCode}: {(e.Result + o.Result).Trim()}");
            return p.ExitCode;
        }
    }
}
