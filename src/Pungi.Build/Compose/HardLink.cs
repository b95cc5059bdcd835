using System.Runtime.InteropServices;
using Pungi.Build.Pkgset;

namespace Pungi.Build.Compose;

/// <summary>Hard links through libc's <c>link(2)</c>: .NET has no API for them.</summary>
public static class HardLink
{
    [DllImport("libc", EntryPoint = "link", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false)]
    private static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string oldPath, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath);

    /// <summary>Creates <paramref name="target"/> as a hard link of <paramref name="source"/>; false with the reason when refused (EXDEV, EPERM…).</summary>
    public static bool TryCreate(string source, string target, out string? error)
    {
        error = null;
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            error = "hard links need a Unix system";
            return false;
        }
        if (Link(source, target) == 0) return true;
        error = Marshal.GetLastPInvokeErrorMessage();
        return false;
    }

    /// <summary>True when both paths name the same file (device and inode).</summary>
    public static bool SameInode(string a, string b)
    {
        var sa = FileStamp.Of(a);
        var sb = FileStamp.Of(b);
        return sa.Inode != 0 && sa.Inode == sb.Inode && sa.Device == sb.Device;
    }
}
