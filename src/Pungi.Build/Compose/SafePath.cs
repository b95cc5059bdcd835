using System.Text;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Compose;

/// <summary>
/// The one guard for names that come from inputs — RPM file names and location hrefs, ISO names from
/// <c>image_name_format</c>, extra-file paths, anything read from a repository or a config — before they become
/// paths: nothing may write outside the compose directory or read outside an input repository (issue #13).
/// A name is refused when it is empty, absolute, has a <c>..</c> segment, a NUL or other control character, a
/// component longer than 255 bytes (NAME_MAX) or a total over 4096 bytes (PATH_MAX). Symlinks are resolved by
/// <see cref="EnsureResolvesInside"/>, so a link inside a repository cannot lead a copy out of it.
/// </summary>
public static class SafePath
{
    public const int NameMax = 255;
    public const int PathMax = 4096;

    /// <summary>A single plain file name (no directory part): returns it unchanged or throws PUNGI7150.</summary>
    public static string FileName(string? name, string what)
    {
        Check(name, what, allowDirectories: false);
        return name!;
    }

    /// <summary>
    /// <paramref name="relative"/> under <paramref name="root"/>: returns the combined full path, or throws PUNGI7150
    /// for a hostile name and PUNGI7151 when the result still lies outside the root.
    /// </summary>
    public static string Child(string root, string? relative, string what)
    {
        Check(relative, what, allowDirectories: true);
        var full = Path.GetFullPath(Path.Combine(root, relative!));
        if (!IsInside(root, full))
            throw new PungiException(ErrorCodes.PathOutsideRoot, $"{what} '{Printable(relative!)}' leads outside {root}.", root);
        return full;
    }

    /// <summary>Whether the lexical full path <paramref name="path"/> is <paramref name="root"/> or below it.</summary>
    public static bool IsInside(string root, string path)
    {
        var r = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        var p = Path.GetFullPath(path);
        return p == r || p.StartsWith(r + Path.DirectorySeparatorChar, StringComparison.Ordinal) || r == "/";
    }

    /// <summary>
    /// Resolves every symlink on <paramref name="path"/> (and on <paramref name="root"/>) and throws PUNGI7151 when the
    /// real file is not under the real root: a symlink inside an input repository may point elsewhere in it, never out.
    /// </summary>
    public static void EnsureResolvesInside(string root, string path, string what)
    {
        var realRoot = RealPath(root);
        var real = RealPath(path);
        if (!IsInside(realRoot, real))
            throw new PungiException(ErrorCodes.PathOutsideRoot,
                $"{what} '{path}' resolves to '{real}', outside {root}; a symlink in a repository must point inside it.", path);
    }

    /// <summary>The path with every symlink resolved (what realpath(3) gives for the existing part); bounded like ELOOP.</summary>
    public static string RealPath(string path)
    {
        var pending = new Stack<string>(Path.GetFullPath(path).Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var current = "/";
        int links = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part == ".") continue;
            if (part == "..") { current = Path.GetDirectoryName(current) ?? "/"; continue; }
            var next = Path.Combine(current, part);
            var info = new FileInfo(next);
            if (info.LinkTarget is { } target)
            {
                if (++links > 40)
                    throw new PungiException(ErrorCodes.PathOutsideRoot, $"Too many levels of symbolic links at '{next}'.", path);
                foreach (var t in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse()) pending.Push(t);
                if (target.StartsWith('/')) current = "/";
                continue;
            }
            current = next;
        }
        return current;
    }

    private static void Check(string? name, string what, bool allowDirectories)
    {
        if (string.IsNullOrEmpty(name))
            throw Unsafe(what, name ?? "", "is empty");
        if (name.Any(c => char.IsControl(c)))
            throw Unsafe(what, name, "holds a NUL or control character");
        if (name.StartsWith('/') || name.StartsWith('\\') || Path.IsPathRooted(name))
            throw Unsafe(what, name, "is an absolute path");
        if (Encoding.UTF8.GetByteCount(name) > PathMax)
            throw Unsafe(what, name, $"is longer than {PathMax} bytes");
        var parts = name.Split('/');
        if (!allowDirectories && parts.Length > 1)
            throw Unsafe(what, name, "is not a plain file name (it holds '/')");
        foreach (var part in parts)
        {
            if (part == "..")
                throw Unsafe(what, name, "has a '..' component");
            if (!allowDirectories && part is "." or "")
                throw Unsafe(what, name, "is not a file name");
            if (Encoding.UTF8.GetByteCount(part) > NameMax)
                throw Unsafe(what, name, $"has a component longer than {NameMax} bytes");
        }
    }

    private static PungiException Unsafe(string what, string name, string why)
        => new(ErrorCodes.UnsafeName, $"{what} '{Printable(name)}' {why}; refusing to use it as a path.");

    /// <summary>Control characters shown as \xNN and long names cut, so the message itself stays one readable line.</summary>
    private static string Printable(string name)
    {
        var sb = new StringBuilder();
        foreach (var c in name.Length > 120 ? name[..120] : name)
            sb.Append(char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString());
        if (name.Length > 120) sb.Append($"… ({name.Length} characters)");
        return sb.ToString();
    }
}
