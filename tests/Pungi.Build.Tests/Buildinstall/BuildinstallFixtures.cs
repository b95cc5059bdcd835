using System.Diagnostics;

namespace Pungi.Build.Tests.Buildinstall;

/// <summary>
/// Real boot material for the lorax stand-in: <c>fixtures/iso/make-test-iso.sh</c> run once per test process (it
/// builds isolinux from Debian's isolinux/syslinux, a GRUB EFI binary in a FAT efiboot.img with mtools, and a bootable
/// ISO). Tests needing it call <see cref="RequireBootMaterial"/>, which skips (or fails under
/// <c>PUNGI_REQUIRE_INTEROP=1</c>) when a tool is missing.
/// </summary>
internal static class BuildinstallFixtures
{
    private static readonly string[] Tools =
        ["xorrisofs", "isohybrid", "implantisomd5", "checkisomd5", "isoinfo", "xorriso", "grub-mkimage", "mkfs.msdos", "mmd", "mcopy", "mdir", "mtype"];

    private static readonly Lazy<string> Boot = new(() =>
    {
        var dir = Path.Combine(Path.GetTempPath(), "pungi-bi-boot-" + Environment.ProcessId);
        if (Directory.Exists(dir)) Directory.Delete(dir, true);
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(TestPaths.Fixtures, "iso", "make-test-iso.sh"));
        psi.ArgumentList.Add(dir);
        psi.Environment["VOLID"] = "STANDIN-boot";
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"make-test-iso.sh failed: {e.Result}{o.Result}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(dir, true); } catch (IOException) { } };
        return dir;
    });

    /// <summary>The directory make-test-iso.sh filled (tree/ and the ISO).</summary>
    public static string RequireBootMaterial()
    {
        foreach (var t in Tools) Interop.RequireTool(t);
        return Boot.Value;
    }

    public static string StandinScript => Path.Combine(TestPaths.RepoRoot, "tests", "Pungi.Build.Tests", "Buildinstall", "lorax-standin.sh");

    /// <summary>An executable wrapper that runs the stand-in with its environment baked in (a build passes no env).</summary>
    public static string WriteWrapper(string dir, string boot, string? expectDir = null, int? fail = null)
    {
        var path = Path.Combine(dir, "lorax");
        var env = $"LORAX_STANDIN_BOOT='{boot}'"
                  + (expectDir is null ? "" : $" LORAX_STANDIN_EXPECT='{expectDir}'")
                  + (fail is null ? "" : $" LORAX_STANDIN_FAIL={fail}");
        File.WriteAllText(path, $"#!/bin/sh\n{env} exec bash '{StandinScript}' \"$@\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        return path;
    }

    /// <summary>The text of a file inside a FAT image, through mtools.</summary>
    public static string Mtype(string image, string path)
    {
        var psi = new ProcessStartInfo("mtype") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-i");
        psi.ArgumentList.Add(image);
        psi.ArgumentList.Add("::/" + path);
        psi.Environment["MTOOLS_SKIP_CHECK"] = "1";
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"mtype {image} {path}: {e.Result}");
        return o.Result;
    }
}
